"""The `adrgen` command line: parse, call the library, print, exit.

Subcommands are imported only when they run, so `adrgen --help` and the commands that do not
prompt or build the site never import questionary or mkdocs.
"""

from __future__ import annotations

import gc
import importlib
import importlib.util
import os
import sys

import click

from adrgen import __version__
from adrgen.errors import AdrgenError, ExitCode

# command name -> "module:attribute" of its click command
COMMANDS: dict[str, str] = {
    "init": "adrgen.commands.init_cmd:init",
    "new": "adrgen.commands.new_cmd:new",
    "recommend": "adrgen.commands.recommend_cmd:recommend",
    "list": "adrgen.commands.list_cmd:list_records",
    "status": "adrgen.commands.lifecycle_cmd:status",
    "supersede": "adrgen.commands.lifecycle_cmd:supersede",
    "link": "adrgen.commands.lifecycle_cmd:link",
    "renumber": "adrgen.commands.lifecycle_cmd:renumber",
    "lint": "adrgen.commands.lint_cmd:lint",
    "catalog": "adrgen.commands.catalog_cmd:catalog",
    "templates": "adrgen.commands.templates_cmd:templates",
    "site": "adrgen.commands.site_cmd:site",
}

# one-line help shown by `adrgen --help` without importing each command
SUMMARIES: dict[str, str] = {
    "init": "Write a commented .adrgen.yaml for a team.",
    "new": "Interview, recommend a mechanism and write a new decision record.",
    "recommend": "Recommend a mechanism for an answers file, with its reasons.",
    "list": "List the decision records in the record folder.",
    "status": "Change a record's status.",
    "supersede": "Mark a record as superseded by another.",
    "link": "Link two records (amends, relates).",
    "renumber": "Give a record the next free number (after a merge clash).",
    "lint": "Check the record folder: numbering, links, statuses, drift.",
    "catalog": "Validate, list, show and describe the IPC catalog.",
    "templates": "List built-in and team templates; export one to customise.",
    "site": "Build or serve the catalog and decisions as a website.",
}


def show_error(error: AdrgenError) -> None:
    """The error's lines on stderr, each one line whatever the files it quotes hold."""
    from adrgen.terminal import echo_lines

    echo_lines(error.lines(), err=True)


class UserError(click.ClickException):
    """An AdrgenError on its way out through click: one line (per problem), its exit code."""

    def __init__(self, error: AdrgenError):
        super().__init__(error.message)
        self.exit_code = int(error.exit_code)
        self.error = error

    def show(self, file: object = None) -> None:
        show_error(self.error)


class LazyGroup(click.Group):
    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except AdrgenError as exc:
            raise UserError(exc) from None

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:  # a planned command not built yet
                return None
            raise
        return getattr(module, attribute)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, SUMMARIES.get(name, "")) for name in COMMANDS if self._available(name)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    @staticmethod
    def _available(name: str) -> bool:
        module_name = COMMANDS[name].split(":")[0]
        return importlib.util.find_spec(module_name) is not None


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="Run `adrgen COMMAND --help` for a command's options and an example.",
)
@click.version_option(__version__, prog_name="adrgen")
def cli() -> None:
    """Choose an inter-process-communication mechanism from your organisation's IPC catalog
    and record the decision as an architecture decision record (ADR).

    \b
    Example:
      adrgen new                                   # interview in a terminal
      adrgen new --answers answers.yaml --no-input # the same in CI
      adrgen site build                            # publish catalog and records
    """


def main(argv: list[str] | None = None) -> None:
    """Entry point: user mistakes become one line on stderr and an exit status, never a traceback.

    Without `argv`, this call is the `adrgen` program itself (the console script, `python -m
    adrgen`) and the process ends when it returns.
    """
    if argv is None:
        # adrgen uses no pydantic plugins; without this, pydantic scans every installed
        # package's entry points on first validation, which costs more than `adrgen recommend`
        os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        code = cli.main(args=argv, prog_name="adrgen", standalone_mode=False)
        sys.stdout.flush()
    except AdrgenError as exc:
        show_error(exc)
        code = exc.exit_code
    except click.exceptions.Abort:
        click.echo("interrupted: nothing was written", err=True)
        code = ExitCode.INTERRUPTED
    except click.ClickException as exc:
        # click's own messages quote the command line, which may hold a file's name
        import io

        from adrgen.terminal import echo

        message = io.StringIO()
        exc.show(file=message)
        echo(message.getvalue(), err=True, nl=False)
        code = exc.exit_code
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except KeyboardInterrupt:
        click.echo("\ninterrupted: nothing was written", err=True)
        code = ExitCode.INTERRUPTED
    except BrokenPipeError:
        # the reader went away (`adrgen list | head -1`): stop quietly, as cat does
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = ExitCode.OK
    if argv is None:
        # Python's shutdown runs full garbage collections over every object still alive,
        # tens of milliseconds for a command that took little more; frozen objects are left
        # to go with the process. atexit handlers still run, and nothing adrgen opens waits
        # for a collector: its files and locks are closed by `with` blocks before this.
        gc.freeze()
    sys.exit(int(code or 0))
