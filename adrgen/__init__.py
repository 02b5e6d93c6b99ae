"""adrgen: choose an IPC mechanism from a catalog and record the decision as an ADR."""

import os

__version__ = "0.1.0"

# adrgen uses no pydantic plugins; without this, pydantic scans every installed package's
# entry points on first validation, which costs more than the rest of `adrgen recommend`
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
