"""adrgen: choose an IPC mechanism from a catalog and record the decision as an ADR."""

__version__ = "0.1.0"
