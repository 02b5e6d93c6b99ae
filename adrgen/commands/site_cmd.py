"""`adrgen site ...`: build or serve the catalog and decisions as a mkdocs-material site.

The mkdocs calls live in adrgen.site.build, imported when a command runs, so the rest of
adrgen never loads mkdocs.
"""

from __future__ import annotations

from pathlib import Path

import click

from adrgen.commands.common import file_option
from adrgen.config import SITE_CONFIGS
from adrgen.errors import AdrgenError
from adrgen.terminal import echo

# where `adrgen site` looks for the site's config when --mkdocs-file is not given
DEFAULT_CONFIGS = tuple(Path(name) for name in SITE_CONFIGS)


def find_site_config(
    config: Path | None, cwd: Path | None = None, required: bool = True
) -> Path | None:
    cwd = cwd or Path.cwd()
    if config is not None:
        if not config.is_file():
            raise AdrgenError(f"{config}: no such mkdocs config file")
        return config
    for candidate in DEFAULT_CONFIGS:
        if (cwd / candidate).is_file():
            return cwd / candidate
    if not required:
        return None
    raise AdrgenError(
        "no mkdocs.yml here or in site/: pass --mkdocs-file FILE, or run `adrgen init` to "
        "make one (see `adrgen site build --help`)"
    )


def _deprecated_config(
    ctx: click.Context, param: click.Parameter, value: Path | None
) -> Path | None:
    if value is not None:
        click.echo(
            "note: `adrgen site --config` is now --mkdocs-file (--config names .adrgen.yaml elsewhere)",
            err=True,
        )
    return value


def config_file_option(f):
    """`--mkdocs-file`, and the older `--config` it replaces (one note when used)."""
    f = file_option(
        "--config",
        "old_config_file",
        help="Deprecated: --mkdocs-file.",
        hidden=True,
        callback=_deprecated_config,
        expose_value=True,
    )(f)
    return file_option(
        "--mkdocs-file",
        "config_file",
        help="The site's mkdocs.yml (default: ./mkdocs.yml, then ./site/mkdocs.yml).",
    )(f)


# options that `build` and `serve` share
records_option = click.option(
    "--records",
    type=click.Path(path_type=Path, file_okay=False),
    multiple=True,
    help="Record folder to publish instead of the config's (repeat for several).",
)


@click.group()
def site() -> None:
    """Build or serve the catalog and decisions as a website (mkdocs-material).

    \b
    Example:
      adrgen site build --out public/
    """


@site.command()
@config_file_option
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder to write the site to (default: the config's site_dir).",
)
@records_option
@click.option("--strict", is_flag=True, help="Fail when mkdocs reports a warning.")
@click.option("--verbose", "-v", is_flag=True, help="Show mkdocs' debug messages.")
def build(
    config_file: Path | None,
    old_config_file: Path | None,
    out: Path | None,
    records: tuple[Path, ...],
    strict: bool,
    verbose: bool,
) -> None:
    """Build the site: catalog pages, the decision log and one page per record.

    The site is written into a new folder beside the site folder, which takes the site
    folder's place in one step when the build is done: a build that fails or is killed
    leaves the last site as it was (`--dirty` builds write in place, as mkdocs does).

    \b
    Example:
      adrgen site build --mkdocs-file site/mkdocs.yml --out /tmp/adr-site --strict
      adrgen site build --records docs/decisions --records ../team-b/docs/decisions
    """
    from adrgen.site.build import build_with_mkdocs

    site_dir = build_with_mkdocs(
        find_site_config(config_file or old_config_file),
        out,
        strict,
        verbose,
        records,
    )
    echo(f"site written to {site_dir}; open {site_dir / 'index.html'}", one_line=True)


@site.command()
@config_file_option
@click.option(
    "--dev-addr",
    default="127.0.0.1:8000",
    show_default=True,
    metavar="IP:PORT",
    help="Address to serve the site at.",
)
@records_option
@click.option(
    "--dirty",
    is_flag=True,
    help="Rebuild only the pages an edit changed (fast with thousands of records).",
)
def serve(
    config_file: Path | None,
    old_config_file: Path | None,
    dev_addr: str,
    records: tuple[Path, ...],
    dirty: bool,
) -> None:
    """Serve the site and rebuild it when the catalog, a record or a page changes.

    \b
    Example:
      adrgen site serve --dev-addr 127.0.0.1:8001
      adrgen site serve --dirty       # with thousands of records
    """
    from adrgen.site.build import serve_with_mkdocs

    serve_with_mkdocs(find_site_config(config_file or old_config_file), dev_addr, dirty, records)


@site.command()
@click.argument("out", metavar="DIR", type=click.Path(path_type=Path))
@config_file_option
@records_option
@click.option(
    "--nav-prefix",
    default="",
    metavar="PATH/",
    help="Put this before every path of nav.yml: where DIR is inside the site's docs folder.",
)
def export(
    out: Path,
    config_file: Path | None,
    old_config_file: Path | None,
    records: tuple[Path, ...],
    nav_prefix: str,
) -> None:
    """Write the site's pages to DIR as markdown, for any generator of mkdocs-style docs.

    DIR gets the catalog and decision pages, the files records link to, the stylesheet
    and nav.yml: the navigation to paste under mkdocs' `nav:`, with the markdown
    extensions the pages need in its comments. No adrgen plugin is needed to publish
    them: record text is made safe in the markdown itself. DIR must be new, empty, or
    an earlier export, which is replaced whole.

    \b
    Example:
      adrgen site export docs/ --mkdocs-file mkdocs.yml
      adrgen site export docs/adr/ --records decisions --nav-prefix adr/
    """
    from adrgen.site.build import export_with_config

    if nav_prefix and not nav_prefix.endswith("/"):
        nav_prefix += "/"
    count = export_with_config(
        find_site_config(config_file or old_config_file, required=False), out, records, nav_prefix
    )
    echo(
        f"{count} pages written to {out}; paste {out / 'nav.yml'} under `nav:` in mkdocs.yml "
        "(its comments list the markdown extensions the pages need)",
        one_line=True,
    )
