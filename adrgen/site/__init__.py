"""The site: its pages as a plain function, record pages, and the mkdocs plugin (the only mkdocs import)."""
