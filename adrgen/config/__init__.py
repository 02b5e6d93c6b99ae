"""Where things are: the team's `.adrgen.yaml`, finding it, and `adrgen init`."""

CONFIG_NAME = ".adrgen.yaml"
DEFAULT_RECORDS = "docs/decisions"
DEFAULT_TEMPLATE = "madr"
