"""Build or serve a site with mkdocs, as `adrgen site build` and `adrgen site serve` do.

mkdocs' messages are printed as its own command line prints them; its errors become one
AdrgenError line, so a user mistake is never a traceback.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path

from adrgen.errors import AdrgenError, ExitCode, ValidationProblems
from adrgen.terminal import echo


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
        echo(f"{level:<8}-  {message}", err=level != "INFO")


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
def _mkdocs_environment(records: tuple[Path, ...]) -> Iterator[None]:
    """The environment mkdocs runs in while inside, as it was again after.

    - mkdocs-material prints an end-of-life notice at import time when run as `mkdocs`; it
      says nothing about the user's site, so it is kept out of adrgen's output;
    - `--records` folders are published instead of the ones the config names: mkdocs loads
      the config (and the plugin's options) itself, so they reach the plugin this way.
    """
    from adrgen.site.plugin import RECORDS_OVERRIDE

    wanted = {"NO_MKDOCS_2_WARNING": os.environ.get("NO_MKDOCS_2_WARNING", "1")}
    if records:
        wanted[RECORDS_OVERRIDE] = os.pathsep.join(str(p.resolve()) for p in records)
    before = {name: os.environ.get(name) for name in wanted}
    os.environ.update(wanted)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def build_with_mkdocs(
    config_file: Path,
    out: Path | None = None,
    strict: bool = False,
    verbose: bool = False,
    records: tuple[Path, ...] = (),
) -> Path:
    """Build the site; the folder it was written to."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    lines = _logging(verbose)
    options = {"strict": True} if strict else {}
    if out is not None:
        options["site_dir"] = str(out.resolve())
    try:
        with _mkdocs_environment(records):
            from mkdocs.commands.build import build

            config = load_config(config_file=str(config_file), **options)
            # as `mkdocs build` runs it: plugins learn which command runs (adrgen's then
            # writes the site into a new folder that takes the site folder's place)
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
            raise ValidationProblems(lines.errors) from None
        # --strict turned warnings into a failure: the input was read, the site has problems
        raise AdrgenError(str(exc), exit_code=ExitCode.PROBLEMS_FOUND) from None
    return Path(config.site_dir)


def serve_with_mkdocs(
    config: Path, dev_addr: str, dirty: bool, records: tuple[Path, ...] = ()
) -> None:
    """Serve the site until interrupted, rebuilding it when a watched file changes."""
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    lines = _logging(False)
    try:
        with _mkdocs_environment(records):
            from mkdocs.commands.serve import serve as mkdocs_serve

            mkdocs_serve(
                config_file=str(config),
                dev_addr=dev_addr,
                livereload=True,
                build_type="dirty" if dirty else None,
            )
    except PluginError as exc:
        raise AdrgenError(str(exc)) from None
    except (ConfigurationError, Abort) as exc:
        if lines.errors:
            raise ValidationProblems(lines.errors) from None
        raise AdrgenError(f"{config}: {exc}") from None


def export_with_config(
    config_file: Path | None,
    out: Path,
    records: tuple[Path, ...] = (),
    nav_prefix: str = "",
    cwd: Path | None = None,
) -> int:
    """Write the pages the site's adrgen plugin options name (the team's defaults without a
    config) into `out` as markdown; how many pages."""
    from adrgen.site.export import export_site
    from adrgen.site.plugin import AdrgenPlugin

    with _mkdocs_environment(records):
        if config_file is None:
            plugin = AdrgenPlugin()
            plugin.load_config({})
            base_dir = (cwd or Path.cwd()).resolve()
        else:
            plugin = _configured_plugin(config_file)
            base_dir = config_file.resolve().parent
        plugin.read_inputs(base_dir)
        # the radar needs the plugin's fence, the wizard its scripts
        site = plugin.make_site(radar=False, wizard=False)
    export_site(site, out, nav_prefix)
    return len(site.pages)


def _configured_plugin(config_file: Path):
    """The adrgen plugin as the site's config sets it up (with its defaults if the config
    does not name it)."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    from adrgen.site.plugin import AdrgenPlugin

    lines = _logging(False)
    try:
        config = load_config(config_file=str(config_file))
    except (ConfigurationError, Abort) as exc:
        if lines.errors:
            raise ValidationProblems(lines.errors) from None
        raise AdrgenError(f"{config_file}: {exc}") from None
    for plugin in _adrgen_plugins(config):
        return plugin
    plugin = AdrgenPlugin()
    plugin.load_config({})
    return plugin


def _adrgen_plugins(config) -> list:
    from adrgen.site.plugin import AdrgenPlugin

    return [plugin for plugin in config.plugins.values() if isinstance(plugin, AdrgenPlugin)]
