"""The catalog as a radar: an inline SVG drawn at build time, one linked blip per mechanism.

Rings are the stances (adopt in the middle, hold outside), sectors the mechanisms' scope
(in process, same host, across hosts); a blip's size grows with the accepted decisions that
chose the mechanism, and its number is its row in the table below the radar. The radar is
drawn twice: wide with names beside the blips, and compact with numbers only for a phone;
the stylesheet shows one of them, so a screen reader meets one.

A page asks for the radar with a fenced block (```` ``` adrgen-radar ````) holding the blips
as JSON, which `radar_fence` turns into the SVG while the page is converted. Generated
pages are rendered without raw HTML (adrgen.site.safe_markdown), and a fence's output is
the one way trusted markup reaches them. Any record may write such a fence too, so
everything in it is treated as untrusted: text is escaped, numbers are clamped, addresses
must be relative, and what does not fit is left out.
"""

from __future__ import annotations

import html
import json
import math
from dataclasses import asdict, dataclass
from typing import Any

from adrgen.site.safe_markdown import url_is_safe
from adrgen.vocabulary import Scope, Stance

FENCE = "adrgen-radar"
MAX_BLIPS = 100

SCOPE_NAMES = {
    Scope.in_process: "in one process",
    Scope.same_host: "on one host",
    Scope.cross_host: "across hosts",
}


@dataclass
class Blip:
    number: int  # the mechanism's row in the table below the radar
    name: str
    stance: str
    scope: str
    accepted: int  # accepted decisions that chose it
    href: str  # the mechanism's page, relative to the radar's page


def radar_source(blips: list[Blip]) -> str:
    """The fenced block's text: JSON that cannot close the fence (no backtick in it)."""
    text = json.dumps([asdict(b) for b in blips], ensure_ascii=True)
    return text.replace("`", "\\u0060")


def radar_fence(
    source: str, language: str, class_name: str, options: Any, md: Any, **kwargs: Any
) -> str:
    """pymdownx.superfences' custom-fence formatter: the radar's HTML from its JSON."""
    return radar_html(_blips_from(source))


def _blips_from(source: str) -> list[Blip]:
    try:
        data = json.loads(source)
    except ValueError:
        return []
    blips = []
    for item in data[:MAX_BLIPS] if isinstance(data, list) else []:
        if not isinstance(item, dict):
            continue
        try:
            blip = Blip(
                number=max(0, min(int(item["number"]), 999)),
                name=str(item["name"])[:120],
                stance=Stance(item["stance"]).value,
                scope=Scope(item["scope"]).value,
                accepted=max(0, min(int(item["accepted"]), 10**6)),
                href=str(item["href"]),
            )
        except (KeyError, TypeError, ValueError):
            continue
        if (
            ":" in blip.href.split("/")[0]
            or blip.href.startswith("/")
            or not url_is_safe(blip.href)
        ):
            blip.href = "#"  # only a page of this site
        blips.append(blip)
    return blips


# --- drawing --------------------------------------------------------------------------

RING_WIDTHS = (100, 70, 55, 45)  # adopt, trial, assess, hold: the inner rings hold more


@dataclass
class _Layout:
    """One drawing's measures: the wide one has names beside the blips, the compact one
    (a phone's) numbers only, drawn larger for its smaller screen."""

    width: int
    height: int
    scale: float  # of the rings
    blip: float  # the smallest blip's radius
    labels: bool

    @property
    def rings(self) -> list[float]:
        return [width * self.scale for width in RING_WIDTHS]


WIDE = _Layout(width=1040, height=640, scale=1.0, blip=11, labels=True)
COMPACT = _Layout(width=600, height=600, scale=0.78, blip=15, labels=False)


@dataclass
class _Placed:
    blip: Blip
    x: float
    y: float
    r: float


def _blip_radius(accepted: int, smallest: float) -> float:
    return min(smallest + 3.5 * math.sqrt(accepted), smallest + 16)


def _place(blips: list[Blip], cx: float, cy: float, layout: _Layout) -> list[_Placed]:
    """Each blip in its ring (stance) and sector (scope), spread evenly across the cell."""
    scopes = list(Scope)
    counts = {s.value: sum(1 for b in blips if b.scope == s.value) for s in scopes}
    # a sector's angle grows with its mechanisms, and an empty one keeps a sliver
    weights = {s: counts[s.value] + 1 for s in scopes}
    total = sum(weights.values())
    start = -90.0
    sectors: dict[str, tuple[float, float]] = {}
    for scope in scopes:
        span = 360.0 * weights[scope] / total
        sectors[scope.value] = (start, start + span)
        start += span
    bounds = []
    inner = 0.0
    for width in layout.rings:
        bounds.append((inner, inner + width))
        inner += width
    placed = []
    for stance_index, stance in enumerate(Stance):
        for scope in scopes:
            cell = [b for b in blips if b.stance == stance.value and b.scope == scope.value]
            first, last = sectors[scope.value]
            low, high = bounds[stance_index]
            for index, blip in enumerate(cell):
                share = (index + 1) / (len(cell) + 1)
                angle = math.radians(first + (last - first) * share)
                # neighbours alternate between the inner and outer half of the ring
                depth = (0.35 if index % 2 else 0.65) if len(cell) > 2 else 0.5
                radius = max(
                    low + (high - low) * depth, 2 * layout.blip if stance_index == 0 else 0
                )
                placed.append(
                    _Placed(
                        blip,
                        cx + radius * math.cos(angle),
                        cy + radius * math.sin(angle),
                        _blip_radius(blip.accepted, layout.blip),
                    )
                )
    return placed


def _rings(cx: float, cy: float, layout: _Layout) -> list[str]:
    parts = []
    widths = layout.rings
    radius = sum(widths)
    for index in range(len(widths) - 1, -1, -1):
        parts.append(
            f'<circle class="adrgen-radar-ring adrgen-radar-ring-{index}" cx="{cx:.0f}" '
            f'cy="{cy:.0f}" r="{radius:.0f}"/>'
        )
        radius -= widths[index]
    inner = 0.0
    for stance, width in zip(Stance, widths, strict=True):
        # the ring's name on the vertical axis near its outer edge, clear of the blips,
        # which sit in the middle of their ring
        y = cy - inner - width + 14
        parts.append(
            f'<text class="adrgen-radar-stance" x="{cx:.0f}" y="{y:.0f}" '
            f'text-anchor="middle" dominant-baseline="middle">{stance.value}</text>'
        )
        inner += width
    return parts


def _sector_lines(blips: list[Blip], cx: float, cy: float, layout: _Layout) -> list[str]:
    scopes = list(Scope)
    counts = {s: sum(1 for b in blips if b.scope == s.value) + 1 for s in scopes}
    total = sum(counts.values())
    outer = sum(layout.rings)
    parts = []
    angle = -90.0
    for scope in scopes:
        rad = math.radians(angle)
        parts.append(
            f'<line class="adrgen-radar-axis" x1="{cx:.0f}" y1="{cy:.0f}" '
            f'x2="{cx + outer * math.cos(rad):.1f}" y2="{cy + outer * math.sin(rad):.1f}"/>'
        )
        middle = math.radians(angle + 180.0 * counts[scope] / total)
        x = cx + (outer + 16) * math.cos(middle)
        y = cy + (outer + 16) * math.sin(middle)
        if not layout.labels:  # centred: the compact drawing has little room at its sides
            anchor = "middle"
        elif math.cos(middle) > 0.2:
            anchor = "start"
        else:
            anchor = "end" if math.cos(middle) < -0.2 else "middle"
        parts.append(
            f'<text class="adrgen-radar-scope" x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" '
            f'dominant-baseline="middle">{SCOPE_NAMES[scope]}</text>'
        )
        angle += 360.0 * counts[scope] / total
    return parts


def _label_positions(
    placed: list[_Placed], cx: float, gap: float
) -> dict[int, tuple[float, float]]:
    """Names beside their blips, outward; names on one side pushed apart so none overlap."""
    positions: dict[int, tuple[float, float]] = {}
    for side in (1, -1):
        here = sorted((p for p in placed if (p.x >= cx) == (side == 1)), key=lambda p: p.y)
        last = -math.inf
        for p in here:
            y = max(p.y, last + gap)
            positions[id(p)] = (p.x + side * (p.r + 8), y)
            last = y
    return positions


def _svg(blips: list[Blip], layout: _Layout) -> str:
    cx, cy = layout.width / 2, layout.height / 2
    placed = _place(blips, cx, cy, layout)
    labels = _label_positions(placed, cx, 26) if layout.labels else {}
    kind = "wide" if layout.labels else "compact"
    parts = [
        f'<svg class="adrgen-radar-{kind}" viewBox="0 0 {layout.width} {layout.height}" '
        f'xmlns="http://www.w3.org/2000/svg" role="group" aria-label="Mechanisms by stance">',
        *_rings(cx, cy, layout),
        *_sector_lines(blips, cx, cy, layout),
    ]
    for p in placed:
        b = p.blip
        name = html.escape(b.name, quote=True)
        # beside the blip, the name without its parenthesis: the title and table say it all
        short = html.escape(b.name.split(" (")[0], quote=True)
        decisions = f"{b.accepted} accepted decision{'s' if b.accepted != 1 else ''}"
        parts.append(
            f'<a class="adrgen-radar-blip adrgen-radar-{b.stance}" href="{html.escape(b.href, quote=True)}" '
            f'aria-label="{name}: {b.stance}, {decisions}">'
            f"<title>{name}: {b.stance}, {decisions}</title>"
            f'<circle cx="{p.x:.1f}" cy="{p.y:.1f}" r="{p.r:.1f}"/>'
            f'<text class="adrgen-radar-number" x="{p.x:.1f}" y="{p.y:.1f}" '
            f'text-anchor="middle" dominant-baseline="central">{b.number}</text>'
        )
        if layout.labels:
            x, y = labels[id(p)]
            anchor = "start" if p.x >= cx else "end"
            if abs(y - p.y) > 1:  # moved to keep clear of another name: a line leads to it
                parts.append(
                    f'<line class="adrgen-radar-leader" x1="{p.x:.1f}" y1="{p.y:.1f}" '
                    f'x2="{x:.1f}" y2="{y:.1f}"/>'
                )
            parts.append(
                f'<text class="adrgen-radar-name" x="{x:.1f}" y="{y:.1f}" '
                f'text-anchor="{anchor}" dominant-baseline="central">{short} ({b.accepted})</text>'
            )
        parts.append("</a>")
    parts.append("</svg>")
    return "".join(parts)


def radar_html(blips: list[Blip]) -> str:
    """Both drawings of the radar, kept out of the search index (the table says it all)."""
    if not blips:
        return '<p class="adrgen-radar-empty">No mechanism to draw.</p>'
    return (
        '<div class="adrgen-radar" data-search-exclude="">'
        f"{_svg(blips, WIDE)}{_svg(blips, COMPACT)}</div>"
    )
