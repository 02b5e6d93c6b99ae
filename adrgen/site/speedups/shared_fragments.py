"""The parts of a record page that are the same on every record page of its folder,
rendered once per folder.

`templates/site/theme/adrgen-record.html` (a copy of mkdocs-material's page blocks) calls
`{% call adrgen_shared(name, page, ...) %}...{% endcall %}` around the navigation sidebar,
the header and the theme's settings for its scripts: the body is rendered for the first
page of each folder and reused for the others. A page in the navigation is always rendered
afresh (the navigation marks it as the current page). The header differs only in the
page's title: it is rendered for `UntitledPage(page)`, and the title put where that one's
placeholder is.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any

from adrgen import resources

# mkdocs-material's page, with the shared parts rendered once (see the template)
RECORD_TEMPLATE = "adrgen-record.html"


def theme_folder() -> Path:
    """The folder that holds `RECORD_TEMPLATE`, for the theme's template folders."""
    return resources.templates_dir() / "site" / "theme"


class SharedFragments:
    """`adrgen_shared` in the theme's templates: fragments kept per folder for one build."""

    def __init__(self) -> None:
        self.in_nav: set[int] = set()  # ids: pages are not hashable
        self.fragments: dict[tuple, str] = {}

    def reset(self, nav_pages: list[Any]) -> None:
        """A new build, whose navigation names these pages."""
        self.in_nav = {id(page) for page in nav_pages}
        self.fragments = {}

    def install(self, env: Any) -> None:
        env.globals["adrgen_shared"] = self
        env.globals["adrgen_untitled"] = UntitledPage

    def __call__(
        self, name: str, page: Any, *variant: Any, caller: Any, titled: bool = False
    ) -> Any:
        """With `titled`, the body is rendered for `adrgen_untitled(page)` and the page's
        title goes where that one's placeholder is."""
        from markupsafe import Markup

        if id(page) in self.in_nav:
            fragment = str(caller())
        else:
            key = (name, posixpath.dirname(page.url.rstrip("/")), *variant)
            fragment = self.fragments.get(key)
            if fragment is None:
                fragment = self.fragments[key] = str(caller())
        if titled:
            fragment = fragment.replace(_TITLE_PLACEHOLDER, _theme_title(page))
        return Markup(fragment)


_TITLE_PLACEHOLDER = "\x00adrgen-page-title\x00"


def _theme_title(page: Any) -> str:
    """The page's title as the theme's header prints it."""
    if page.meta and page.meta.get("title"):
        return str(page.meta["title"])
    return str(page.title)


class UntitledPage:
    """A page whose title is a placeholder, for the fragments `SharedFragments` titles."""

    def __init__(self, page: Any):
        self._page = page
        self.meta = {**(page.meta or {}), "title": _TITLE_PLACEHOLDER}
        self.title = _TITLE_PLACEHOLDER

    def __getattr__(self, name: str) -> Any:
        return getattr(self._page, name)
