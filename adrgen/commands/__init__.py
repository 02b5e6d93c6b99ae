"""One module per command (or command group); `adrgen.cli` imports them on demand."""
