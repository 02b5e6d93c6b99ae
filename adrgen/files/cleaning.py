"""Normalise text a person typed: no control characters, bidi overrides or odd line breaks."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

_BIDI_AND_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_LINE_BREAKS = re.compile("\r\n|\r|\u2028|\u2029|\x85")
# C0 and C1 controls but tab and newline, and lone surrogates
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff]")


def clean_text(value: Any, *, single_line: bool = False) -> Any:
    """Normalise user text: no control characters, bidi overrides or exotic line breaks."""
    if not isinstance(value, str):
        return value
    value = unicodedata.normalize("NFC", value)
    value = _LINE_BREAKS.sub("\n", value)
    value = _BIDI_AND_INVISIBLE.sub("", value)
    value = _CONTROLS.sub("", value)
    if single_line:
        value = " ".join(value.split())
    return value.strip() if single_line else value.strip("\n")


def one_line(value: Any) -> Any:
    return clean_text(value, single_line=True)
