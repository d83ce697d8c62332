"""Turn results into things people read: terminal tables, JSON, CSV files."""
