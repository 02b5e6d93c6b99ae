"""The IPC catalog: its models, loading and validation, team overlays, cache, schema, text views."""
