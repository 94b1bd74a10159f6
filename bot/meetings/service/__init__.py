"""Meeting use cases, by how they are asked for: subcommands, button clicks, modal submissions."""
