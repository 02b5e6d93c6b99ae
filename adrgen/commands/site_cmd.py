"""`adrgen site ...`: build or serve the catalog and decisions as a mkdocs-material site.

The mkdocs calls live in adrgen.site.build, imported when a command runs, so the rest of
adrgen never loads mkdocs.
"""

from __future__ import annotations

from pathlib import Path

import click

from adrgen.config import SITE_CONFIGS
from adrgen.errors import AdrgenError
from adrgen.terminal import echo

# where `adrgen site` looks for the site's config when --mkdocs-file is not given
DEFAULT_CONFIGS = tuple(Path(name) for name in SITE_CONFIGS)


def find_site_config(config: Path | None, cwd: Path | None = None) -> Path:
    cwd = cwd or Path.cwd()
    if config is not None:
        if not config.is_file():
            raise AdrgenError(f"{config}: no such mkdocs config file")
        return config
    for candidate in DEFAULT_CONFIGS:
        if (cwd / candidate).is_file():
            return cwd / candidate
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
    f = click.option(
        "--config",
        "old_config_file",
        type=click.Path(path_type=Path, dir_okay=False),
        hidden=True,
        callback=_deprecated_config,
        expose_value=True,
    )(f)
    return click.option(
        "--mkdocs-file",
        "config_file",
        type=click.Path(path_type=Path, dir_okay=False),
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

    A site folder that holds the last build is written over: files this build does not
    make are removed, and unchanged files keep their time.

    \b
    Example:
      adrgen site build --mkdocs-file site/mkdocs.yml --out /tmp/adr-site --strict
      adrgen site build --records docs/decisions --records ../team-b/docs/decisions
    """
    from adrgen.site.build import build_with_mkdocs

    config = find_site_config(config_file or old_config_file)
    site_dir = build_with_mkdocs(config, out, strict, verbose, records)
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
