"""A jinja2 sandbox for record templates, which are code other people wrote.

A team template may try to reach Python internals, read files outside the template folders,
loop forever or build a huge string. Here:

- `ImmutableSandboxedEnvironment` refuses private attributes, unsafe calls and changes to
  the context's lists and dicts; `StrictUndefined` makes a misspelt variable an error;
- `TemplateFolders` serves templates from the team folder, then the built-in one, and
  nothing else: no `..`, absolute paths, backslashes, or symlinks that lead outside;
- sizes are checked where a template could multiply them (`*`, `**`, `+`, `%`, `~`,
  joins, filters, method calls), the output is streamed and capped, a timer stops a
  template that runs too long, and on Linux the address space is capped while rendering
  so that anything the checks miss ends in a MemoryError, not a swapping machine.

Every failure becomes one line naming the template file and line (`describe_failure`).
"""

from __future__ import annotations

import functools
import os
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, StrictUndefined, TemplateNotFound, TemplateSyntaxError
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.nodes import Concat
from jinja2.sandbox import ImmutableSandboxedEnvironment, safe_range
from jinja2.utils import Namespace

from adrgen.errors import AdrgenError
from adrgen.files.reading import read_text

MAX_TEMPLATE_BYTES = 256 * 1024
MAX_NAME_LENGTH = 200
BUILTIN_PREFIX = "builtin"  # `builtin/madr.md.j2` always means the shipped template


@dataclass(frozen=True)
class RenderLimits:
    """How much a template may produce, and for how long, before it is stopped."""

    seconds: float = 5.0
    max_bytes: int = 1024 * 1024
    memory_headroom: int = 512 * 1024 * 1024  # address space allowed on top of what is in use
    max_int_bits: int = 4096  # no record needs a number with more than ~1,200 digits


class LimitExceeded(Exception):
    """A template went over a size, time or memory limit."""


# --- the loader ---------------------------------------------------------------------------


def template_name_parts(name: str) -> list[str]:
    """The `/`-separated parts of a template name, or SecurityError for one that could escape."""
    if not isinstance(name, str) or not name:
        raise SecurityError("a template name must be non-empty text")
    if len(name) > MAX_NAME_LENGTH:
        raise SecurityError(f"template name longer than {MAX_NAME_LENGTH} characters")
    if "\\" in name or "\x00" in name or ":" in name:
        raise SecurityError(f"template name {name!r}: backslashes, colons and NUL are not allowed")
    if name.startswith("/") or name.startswith("~"):
        raise SecurityError(f"template name {name!r}: absolute paths are not allowed")
    parts = name.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise SecurityError(
            f"template name {name!r}: `..`, `.` and empty parts are not allowed; "
            "templates come only from the team and built-in template folders"
        )
    return parts


class TemplateFolders(BaseLoader):
    """Serve templates from a few folders, first match wins, never from anywhere else."""

    def __init__(self, folders: Sequence[Path], builtin: Path):
        self.folders = [Path(f) for f in folders]
        self.builtin = Path(builtin)
        # a symlink may point from one template folder into another, but not outside them
        self.roots = [f.resolve() for f in {*self.folders, self.builtin} if f.is_dir()]
        self.served: set[str] = set()  # file names handed to jinja, to find them in tracebacks

    def locate(self, name: str) -> Path:
        """The file a template name stands for; TemplateNotFound or SecurityError otherwise."""
        parts = template_name_parts(name)
        folders = self.folders
        if parts[0] == BUILTIN_PREFIX and len(parts) > 1:
            folders, parts = [self.builtin], parts[1:]
        for folder in folders:
            candidate = folder.joinpath(*parts)
            if not os.path.lexists(candidate):
                continue
            real = candidate.resolve()
            if not any(real.is_relative_to(root) for root in self.roots):
                raise SecurityError(
                    f"template {name!r} is a link to {real}, outside the template folders"
                )
            if not real.is_file():
                raise SecurityError(f"template {name!r} ({candidate}) is not a regular file")
            return candidate
        raise TemplateNotFound(name)

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = self.locate(template)
        try:  # a regular file, capped: a template swapped for a FIFO since `locate` is refused
            source = read_text(path, max_bytes=MAX_TEMPLATE_BYTES)
        except AdrgenError as exc:
            raise SecurityError(exc.message) from None
        self.served.add(str(path))
        mtime = path.stat().st_mtime
        return source, str(path), lambda: path.exists() and path.stat().st_mtime == mtime

    def list_templates(self) -> list[str]:
        names: set[str] = set()
        for folder in self.folders:
            if folder.is_dir():
                names |= {p.name for p in folder.iterdir() if p.name.endswith(".j2")}
        return sorted(names)


# --- the environment ----------------------------------------------------------------------


class _BoundedConcatGenerator(CodeGenerator):
    """Compiles `a ~ b` to a call that checks the size, like the other operators."""

    def visit_Concat(self, node: Concat, frame: Frame) -> None:
        self.write("environment.bounded_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


_PRINTF_WIDTH = re.compile(r"%[#0\- +]*(\d+)?(?:\.(\d+))?")
_FORMAT_SPEC_WIDTH = re.compile(r"\{[^{}:]*:[^{}\d]*(\d+)")
_WIDTH_METHODS = {"center", "ljust", "rjust", "zfill", "expandtabs", "format", "format_map"}
_SIZED = (str, list, tuple)
# filters whose numeric arguments are widths or counts of output characters
_WIDTH_FILTERS = {"center", "indent", "wordwrap", "truncate", "format"}


class RecordEnvironment(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "+", "%"})
    code_generator_class = _BoundedConcatGenerator

    def __init__(self, loader: BaseLoader, limits: RenderLimits):
        super().__init__(
            loader=loader,
            undefined=StrictUndefined,
            autoescape=False,  # markdown, not HTML: escaping is done by the md_* filters
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
        )
        self.limits = limits
        # lipsum makes unbounded text; cycler and joiner are objects a record does not need
        self.globals = {"range": safe_range, "dict": dict, "namespace": Namespace}
        self.filters = {name: self._bounded_filter(name, f) for name, f in self.filters.items()}

    def compile(self, *args: Any, **kwargs: Any) -> Any:
        """Compiling runs under the render's limits: jinja works out constant expressions
        while it compiles (`{% set x = [1] | batch(5000000, 'x') | list %}`), and writes
        the result into the code it generates."""
        with within_limits(self.limits):
            return super().compile(*args, **kwargs)

    # size checks -------------------------------------------------------------------------

    def check_size(self, value: Any, what: str = "a value") -> Any:
        if isinstance(value, _SIZED) and len(value) > self.limits.max_bytes:
            raise LimitExceeded(f"{what} is over the {self.limits.max_bytes}-character limit")
        if isinstance(value, int) and value.bit_length() > self.limits.max_int_bits:
            raise LimitExceeded(f"{what} is a number over {self.limits.max_int_bits} bits")
        return value

    def _check_widths(self, args: Sequence[Any], what: str) -> None:
        for arg in args:
            if isinstance(arg, int) and not isinstance(arg, bool) and arg > self.limits.max_bytes:
                raise LimitExceeded(f"{what}: {arg} is over the {self.limits.max_bytes} limit")

    def _check_format_string(self, text: Any, what: str) -> None:
        """Refuse `'%999999999s'` and `'{:>999999999}'`: a width is output to allocate."""
        if isinstance(text, str):
            widths = [w for pair in _PRINTF_WIDTH.findall(text) for w in pair if w]
            widths += _FORMAT_SPEC_WIDTH.findall(text)
            self._check_widths([int(w) if len(w) < 12 else 1 << 40 for w in widths], what)

    def bounded_concat(self, values: Sequence[Any]) -> str:
        total = sum(len(v) if isinstance(v, str) else 0 for v in values)
        if total > self.limits.max_bytes:
            raise LimitExceeded(
                f"`~` would make {total} characters (limit {self.limits.max_bytes})"
            )
        return self.check_size("".join(str(v) for v in values), "`~`")

    def concat(self, values: Any) -> str:  # block `set`, macros and `filter` blocks
        return self.check_size("".join(values), "a block")

    def _binop_problem(self, operator: str, left: Any, right: Any) -> str | None:
        """Why `left operator right` would be too big, before Python is asked to build it."""
        limit, bits = self.limits.max_bytes, self.limits.max_int_bits
        ints = isinstance(left, int) and isinstance(right, int)
        if operator == "*":
            sequence, times = (left, right) if isinstance(left, _SIZED) else (right, left)
            if isinstance(sequence, _SIZED) and isinstance(times, int):
                if len(sequence) * times > limit:
                    return f"`*` would make {len(sequence) * times} items (limit {limit})"
            elif ints and left.bit_length() + right.bit_length() > bits:
                return "`*` would make a number too large"
        elif operator == "**":
            if ints and abs(left) > 1 and right > 0 and left.bit_length() * right > bits:
                return f"`**` would make a number of about {left.bit_length() * right} bits"
        elif operator == "+":
            sized = isinstance(left, _SIZED) and isinstance(right, _SIZED)
            if sized and len(left) + len(right) > limit:
                return f"`+` would make {len(left) + len(right)} items (limit {limit})"
        return None

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        problem = self._binop_problem(operator, left, right)
        if problem:
            raise LimitExceeded(problem)
        if operator == "%":
            self._check_format_string(left, "`%` format width")
        return self.check_size(super().call_binop(context, operator, left, right), f"`{operator}`")

    def call(self, context: Any, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        target = getattr(obj, "__wrapped__", obj)  # the sandbox wraps str.format
        owner = getattr(target, "__self__", None)
        if isinstance(owner, str) and getattr(target, "__name__", "") in _WIDTH_METHODS:
            self._check_widths([*args, *kwargs.values()], f"str.{target.__name__}")
            self._check_format_string(owner, f"str.{target.__name__}")
        result = super().call(context, obj, *args, **kwargs)
        return self.check_size(result, "a call's result")

    def _bounded_filter(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def bounded(*args: Any, **kwargs: Any) -> Any:
            if name in _WIDTH_FILTERS:
                self._check_widths([*args[1:], *kwargs.values()], f"filter {name}")
            if name == "format":
                self._check_format_string(
                    next((a for a in args if isinstance(a, str)), None), "filter format"
                )
            if name == "replace":
                self._check_replace(args, kwargs)
            return self.check_size(function(*args, **kwargs), f"filter {name}")

        return bounded

    def _check_replace(self, args: Sequence[Any], kwargs: dict[str, Any]) -> None:
        strings = [a for a in args if isinstance(a, str)]
        if len(strings) >= 3:
            text, old, new = strings[-3:]
            worst = (len(text) // max(len(old), 1) + 1) * len(new) + len(text)
            if worst > self.limits.max_bytes:
                raise LimitExceeded(f"filter replace could make {worst} characters")


# --- running a template within the limits -------------------------------------------------


@contextmanager
def time_limit(seconds: float, expired: Callable[[], BaseException]) -> Iterator[None]:
    """Raise `expired()` in this thread once `seconds` have passed, even inside a loop that
    never returns to the caller; the process's alarm and its handler are as before after.

    Only the main thread receives signals: elsewhere this does nothing, and callers check
    the clock themselves where they can.
    """
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def on_alarm(signum: int, frame: Any) -> None:
        raise expired()

    started = time.monotonic()
    previous_handler = signal.signal(signal.SIGALRM, on_alarm)
    # keep firing: a check that swallowed one alarm meets the next
    previous_delay, previous_interval = signal.setitimer(signal.ITIMER_REAL, seconds, 0.25)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_delay > 0:  # someone else's alarm: it still goes off, when it would have
            left = max(previous_delay - (time.monotonic() - started), 0.001)
            signal.setitimer(signal.ITIMER_REAL, left, previous_interval)


def _address_space_in_use() -> int | None:
    try:
        pages = int(read_text(Path("/proc/self/statm"), max_bytes=4096).split()[0])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (AdrgenError, OSError, ValueError, IndexError):
        return None


@contextmanager
def _memory_limit(headroom: int) -> Iterator[None]:
    """Cap the address space while rendering (Linux), so a runaway template gets MemoryError."""
    try:
        import resource
    except ImportError:  # not on this platform: the size checks still apply
        yield
        return
    in_use = _address_space_in_use()
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = None if in_use is None else in_use + headroom
    if cap is not None and hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    if cap is None or (soft != resource.RLIM_INFINITY and soft <= cap):
        yield
        return
    try:
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


_limited = threading.local()


@contextmanager
def within_limits(limits: RenderLimits) -> Iterator[None]:
    """The time and memory limits around a template's work: compiling it (jinja evaluates
    constant expressions then) and rendering it. Work inside work already limited keeps
    the outer limits, so compiling an included template does not restart the clock."""
    if getattr(_limited, "active", False):
        yield
        return

    def expired() -> LimitExceeded:
        return LimitExceeded(f"rendering took longer than {limits.seconds:g} seconds")

    _limited.active = True
    try:
        with time_limit(limits.seconds, expired), _memory_limit(limits.memory_headroom):
            yield
    finally:
        _limited.active = False


def run_limited(template: Any, context: dict[str, Any], limits: RenderLimits) -> str:
    """The template's output, streamed and capped; raises what the template raised."""
    deadline = time.monotonic() + limits.seconds
    parts: list[str] = []
    size = 0
    with within_limits(limits):
        for chunk in template.generate(context):
            size += len(chunk.encode("utf-8", "surrogatepass"))
            if size > limits.max_bytes:
                raise LimitExceeded(f"the record is over the {limits.max_bytes}-byte limit")
            if time.monotonic() > deadline:  # where no alarm can be had
                raise LimitExceeded(f"rendering took longer than {limits.seconds:g} seconds")
            parts.append(chunk)
    return "".join(parts)


# --- describing failures ------------------------------------------------------------------


def _problem(exc: BaseException, limits: RenderLimits) -> str:
    if isinstance(exc, TemplateNotFound):
        return f"template {exc.name!r} not found in the template folders"
    if isinstance(exc, MemoryError):
        return f"the template needs more memory than the {limits.memory_headroom >> 20} MiB limit"
    if isinstance(exc, RecursionError):
        return "templates call or extend each other too deeply (a loop?)"
    if isinstance(exc, (SecurityError, UndefinedError, LimitExceeded, TemplateSyntaxError)):
        text = exc.message if isinstance(exc, TemplateSyntaxError) else str(exc)
    elif isinstance(exc, OverflowError) and "MAX_RANGE" in str(exc):
        text = str(exc)
    else:
        text = f"{type(exc).__name__}: {exc}"
    return " ".join((text or type(exc).__name__).split()).rstrip(".")


def describe_failure(
    exc: BaseException,
    served: set[str],
    fallback: str,
    limits: RenderLimits,
    display: Callable[[str], str] = str,
) -> str:
    """`template-file:line: problem`, the line being where in a template the failure happened."""
    import traceback  # only a failing render needs it: not imported by every `adrgen new`

    filename, line = fallback, None
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        filename, line = exc.filename, exc.lineno
    else:
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename in served:
                filename, line = frame.filename, frame.lineno
                break
    where = display(filename) + (f":{line}" if line else "")
    return f"{where}: {_problem(exc, limits)}"
