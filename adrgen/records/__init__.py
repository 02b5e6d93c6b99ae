"""Decision records on disk: reading any tool's records, names, writing, editing, lifecycle, lint."""
