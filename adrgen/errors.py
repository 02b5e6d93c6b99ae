"""The one user-facing error type and the exit codes every command uses."""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum
from typing import Any


class ExitCode(IntEnum):
    OK = 0
    PROBLEMS_FOUND = 1  # lint found problems: the input was fine, the records are not
    USAGE = 2  # bad input: nothing was written
    INTERRUPTED = 130  # Ctrl-C


class AdrgenError(Exception):
    """A mistake in the user's input, reported as one line without a traceback."""

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, message: str, *, exit_code: ExitCode | None = None):
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code

    def lines(self) -> list[str]:
        """What is printed: one line, whatever characters the message holds."""
        return [self.message]


class ValidationProblems(AdrgenError):
    """Several problems found in one input, one line each (file:line: message)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))

    def lines(self) -> list[str]:
        return list(self.problems)


class AnswerProblem(AdrgenError):
    """A problem with one answer that only the catalog can see (a chosen mechanism it does
    not know, an override without its reason). `key` names the answer, so a caller that
    read the answers from a file can point at its line: see `at`."""

    def __init__(self, key: tuple[str, ...], problem: str):
        self.key = key
        super().__init__(f"{'.'.join(key)}: {problem}")

    def at(self, source: object, lines: Any = None) -> AdrgenError:
        """The same problem as `file:line: key: problem` (`lines` is a yamlsafe.LineMap)."""
        line = lines.line_of(self.key) if lines is not None else None
        return AdrgenError(f"{location(source, line)}: {self.message}", exit_code=self.exit_code)


EXCERPT_LENGTH = 60


def excerpt(value: object, limit: int = EXCERPT_LENGTH, *, quoted: bool = True) -> str:
    """A value from a file as an error message may quote it: short, escaped, in quotes
    unless `quoted` is false.

    A file named by mistake (an overlay that is really `/etc/shadow`) must not be printed
    back through its error messages, nor put control characters in them.
    """
    if isinstance(value, str):
        escaped = repr(value[:limit])
        if not quoted:
            escaped = escaped[1:-1]
        return escaped + ("…" if len(value) > limit else "")
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


class ConflictingAnswers(AnswerProblem):
    """Answers the catalog declares cannot both hold: one line per conflict, naming its facts,
    the catalog's sentence, and the answer `--allow-conflicts` would set aside."""

    def __init__(self, conflicts: list[tuple[list[str], str, str]]):
        self.conflicts = conflicts  # (facts, sentence, the fact set aside when allowed)
        self.key = ("facts", conflicts[0][0][0])
        AdrgenError.__init__(self, "\n".join(self._line(*c) for c in conflicts))

    @staticmethod
    def _line(facts: list[str], text: str, set_aside: str) -> str:
        names = " and ".join(f"facts.{name}" for name in facts)
        return (
            f"{names} conflict: {text} (change one of them, or pass --allow-conflicts to "
            f"set {set_aside} aside)"
        )

    def at(self, source: object, lines: Any = None) -> AdrgenError:
        out = []
        for conflict in self.conflicts:
            line = lines.line_of(("facts", conflict[0][0])) if lines is not None else None
            out.append(f"{location(source, line)}: {self._line(*conflict)}")
        return ValidationProblems(out)


def location(path: object, line: int | None) -> str:
    """`file:line` as every error message starts, or just `file` when no line is known."""
    return f"{path}:{line}" if line else f"{path}"


def did_you_mean(word: object, known: Iterable[object]) -> str:
    """'; did you mean 'accepted'?' when `word` is a near miss of one of `known`, else ''."""
    import difflib

    choices = {str(getattr(k, "value", k)): k for k in known}
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""
