"""Programme administration: workspace settings, CSV export, and deleting a person's data."""
