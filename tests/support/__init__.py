"""Test helpers: the harness that runs Tandem against the emulator, and factories."""
