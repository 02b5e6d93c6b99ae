"""The jinja2 sandbox, template lookup, compiled-template cache and markdown escaping."""
