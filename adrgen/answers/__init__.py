"""The answers file: its model, and reading it from YAML or JSON."""
