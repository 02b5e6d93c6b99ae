"""Speed-ups that depend on the inside of a given mkdocs / mkdocs-material version.

Each is used only with the versions it was tested with (`TESTED`), checked once a build
against what is installed; with any other version, or with the plugin option
`speedups: false` (`adrgen site build --no-speedups`), the site is built the plain way,
page for page the same.

- `shared_fragments`: the parts of a record page that are the same across its folder
  (navigation sidebar, header, the theme's script settings) rendered once per folder,
  through `templates/site/theme/adrgen-record.html`, a copy of the theme's own blocks.
"""

from __future__ import annotations

from importlib import metadata

# the distributions the speed-ups reach inside of, and the versions they were tested with
TESTED = {"mkdocs": "1.6.1", "mkdocs-material": "9.8.2"}


def why_not_usable() -> str | None:
    """None when the installed mkdocs and mkdocs-material are the tested versions; else
    why the speed-ups are not used, in a few words."""
    for distribution, tested in TESTED.items():
        try:
            installed = metadata.version(distribution)
        except metadata.PackageNotFoundError:
            installed = "none"
        if installed != tested:
            return (
                f"{distribution} {installed} is installed and they were tested with "
                f"{distribution} {tested}"
            )
    return None
