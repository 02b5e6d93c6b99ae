"""Plain-text (markdown) views of catalog entries for the terminal."""

from __future__ import annotations

from adrgen.catalog.models import Catalog, ChecklistItem, FailureMode, Mechanism, Situation


def _bullets(items: list[str]) -> list[str]:
    return [f"- {item}" for item in items] or ["- (none)"]


def mechanism_markdown(cat: Catalog, m: Mechanism) -> str:
    lines = [
        f"# {m.name} ({m.id})",
        "",
        f"Stance: {m.stance.value}. {m.stance_note}",
        "",
        f"Typical use: {m.typical_use}",
        f"Garden note: {m.garden_note}",
        f"Scope: {m.scope.value}; isolation: {m.isolation.value}; ceremony: {m.ceremony}/5; "
        f"data volume up to: {m.max_data_volume.value}; RPC semantics: {'yes' if m.rpc_semantics else 'no'}",
        f"Fits: {', '.join(r.value for r in m.relationships)}",
        "",
        m.summary,
        "",
        "## Pros",
        *_bullets(m.pros),
        "",
        "## Cons",
        *_bullets(m.cons),
    ]
    situations = [s for s in cat.situations if m.id in s.accepts + s.avoids]
    if situations:
        lines += ["", "## Situations"]
        lines += [
            f"- {s.situation}: {s.stance} ({'avoid' if m.id in s.avoids else 'accept'})"
            for s in situations
        ]
    modes = [f for f in cat.failure_modes if m.id in f.warns_about]
    if modes:
        lines += ["", "## Failure modes", *_bullets([f.text for f in modes])]
    if m.examples:
        lines += ["", "## Examples", *_bullets(m.examples)]
    if m.team_notes:
        lines += ["", "## Team notes", *_bullets(m.team_notes)]
    return "\n".join(lines)


def entry_markdown(cat: Catalog, entry: object) -> str:
    if isinstance(entry, Mechanism):
        return mechanism_markdown(cat, entry)
    if isinstance(entry, Situation):
        return "\n".join(
            [
                f"# {entry.situation} ({entry.id})",
                "",
                f"Stance: {entry.stance}",
                f"Verdict: {entry.verdict}; applies when: "
                + " or ".join(p.describe() for p in entry.when),
                "",
                entry.guidance,
                "",
                f"Accepts: {', '.join(entry.accepts) or '-'}",
                f"Avoids: {', '.join(entry.avoids) or '-'}",
            ]
        )
    if isinstance(entry, ChecklistItem):
        return "\n".join(
            [f"# {entry.number}. {entry.question}", "", entry.consequence]
            + (
                [f"Sets: {entry.fact.value} (yes means {str(entry.yes_means).lower()})"]
                if entry.fact
                else []
            )
        )
    if isinstance(entry, FailureMode):
        return "\n".join(
            [f"# {entry.text} ({entry.id})", "", entry.explanation, "", "Watch for:"]
            + _bullets(entry.watch_for)
            + ["", f"Warns about: {', '.join(entry.warns_about)}"]
        )
    raise TypeError(type(entry))


def catalog_markdown(cat: Catalog) -> str:
    meta = cat.meta
    lines = [f"# {meta.title}", "", meta.intro, "", meta.summary, ""]
    for guidance in meta.guidance:
        lines += [f"{guidance.title}: {guidance.text}", ""]
    lines += [
        f"When IPC fits: {meta.when_ipc_fits.text}",
        f"When to pause: {meta.when_to_pause}",
        "",
    ]
    for m in sorted(cat.mechanisms, key=lambda m: (m.stance.rank, m.id)):
        lines.append(f"- {m.id} [{m.stance.value}] {m.name}: {m.typical_use} ({m.garden_note})")
    return "\n".join(lines)
