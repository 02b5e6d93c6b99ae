"""Speed-ups that depend on a given mkdocs / mkdocs-material version, behind a guard."""
