"""`adrgen site ...`: build or serve the catalog and decisions as a mkdocs-material site.

The mkdocs calls live here and in `adrgen.site.plugin` only, and are imported when a
command runs, so the rest of adrgen never loads mkdocs.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path

import click

from adrgen.errors import AdrgenError, ExitCode

# where `adrgen site` looks for the site's config when --config is not given
DEFAULT_CONFIGS = (Path("mkdocs.yml"), Path("site/mkdocs.yml"))


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
        "no mkdocs.yml here or in site/: pass --config FILE (see `adrgen site build --help`)"
    )


class _Lines(logging.Handler):
    """mkdocs' messages as its own command line prints them: `LEVEL   -  message`.

    Errors are kept back: mkdocs follows one with an abort, which becomes adrgen's own
    one-line message and exit status.
    """

    def __init__(self) -> None:
        super().__init__()
        self.errors: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        level = record.levelname
        message = record.getMessage()
        if record.levelno >= logging.ERROR:
            self.errors.append(message)
            return
        click.echo(f"{level:<8}-  {message}", err=level != "INFO")


def _quiet_theme_notice() -> None:
    # mkdocs-material prints an end-of-life notice at import time when run as `mkdocs`; it
    # says nothing about the user's site, so it is kept out of adrgen's output
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def _logging(verbose: bool) -> _Lines:
    logger = logging.getLogger("mkdocs")
    for handler in [h for h in logger.handlers if isinstance(h, _Lines)]:
        logger.removeHandler(handler)
    handler = _Lines()
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if verbose else logging.INFO)
    logger.propagate = False
    return handler


@contextlib.contextmanager
def _records_override(records: tuple[Path, ...]) -> Iterator[None]:
    """Publish these record folders instead of the ones the config names, while inside."""
    from adrgen.site.plugin import RECORDS_OVERRIDE

    before = os.environ.get(RECORDS_OVERRIDE)
    if records:
        os.environ[RECORDS_OVERRIDE] = os.pathsep.join(str(p.resolve()) for p in records)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(RECORDS_OVERRIDE, None)
        else:
            os.environ[RECORDS_OVERRIDE] = before


def build_site(
    config_file: Path,
    out: Path | None = None,
    strict: bool = False,
    verbose: bool = False,
    records: tuple[Path, ...] = (),
) -> Path:
    """Build the site; the folder it was written to."""
    _quiet_theme_notice()
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    lines = _logging(verbose)
    options = {"strict": True} if strict else {}
    if out is not None:
        options["site_dir"] = str(out.resolve())
    try:
        with _records_override(records):
            config = load_config(config_file=str(config_file), **options)
            # as `mkdocs build` runs it: plugins learn which command runs (adrgen's then
            # writes over the last build, adrgen.site.speedups.in_place)
            config.plugins.on_startup(command="build", dirty=False)
            try:
                build(config)
            finally:
                config.plugins.on_shutdown()
    except PluginError as exc:
        raise AdrgenError(str(exc)) from None
    except ConfigurationError as exc:
        raise AdrgenError(f"{config_file}: {exc}") from None
    except Abort as exc:
        if lines.errors:  # a plugin or the config refused the input (a missing folder, ...)
            raise AdrgenError("\n".join(lines.errors)) from None
        # --strict turned warnings into a failure: the input was read, the site has problems
        raise AdrgenError(str(exc), exit_code=ExitCode.PROBLEMS_FOUND) from None
    return Path(config.site_dir)


# options that `build` and `serve` share
config_file_option = click.option(
    "--config",
    "config_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The site's mkdocs.yml (default: ./mkdocs.yml, then ./site/mkdocs.yml).",
)
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
      adrgen site build --config site/mkdocs.yml --out /tmp/adr-site --strict
      adrgen site build --records docs/decisions --records ../team-b/docs/decisions
    """
    site_dir = build_site(find_site_config(config_file), out, strict, verbose, records)
    click.echo(f"site written to {site_dir}; open {site_dir / 'index.html'}")


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
def serve(config_file: Path | None, dev_addr: str, records: tuple[Path, ...], dirty: bool) -> None:
    """Serve the site and rebuild it when the catalog, a record or a page changes.

    \b
    Example:
      adrgen site serve --dev-addr 127.0.0.1:8001
      adrgen site serve --dirty       # with thousands of records
    """
    config = find_site_config(config_file)
    _quiet_theme_notice()
    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    lines = _logging(False)
    try:
        with _records_override(records):
            mkdocs_serve(
                config_file=str(config),
                dev_addr=dev_addr,
                livereload=True,
                build_type="dirty" if dirty else None,
            )
    except PluginError as exc:
        raise AdrgenError(str(exc)) from None
    except (ConfigurationError, Abort) as exc:
        raise AdrgenError("\n".join(lines.errors) or f"{config}: {exc}") from None
