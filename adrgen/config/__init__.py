"""Where things are: the team's `.adrgen.yaml`, finding it, and `adrgen init`."""

CONFIG_NAME = ".adrgen.yaml"
DEFAULT_RECORDS = "docs/decisions"
DEFAULT_TEMPLATE = "madr"
# where `adrgen site` looks for the site's mkdocs.yml, relative to the working directory
SITE_CONFIGS = ("mkdocs.yml", "site/mkdocs.yml")
