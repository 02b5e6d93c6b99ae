"""`adrgen catalog ...`: validate, list, show and describe the catalog."""

from __future__ import annotations

from pathlib import Path

import click

from adrgen.catalog.models import Catalog, Mechanism
from adrgen.commands.common import (
    Choice,
    catalog_option,
    config_option,
    format_option,
    print_json,
    print_table,
    workspace,
)
from adrgen.errors import AdrgenError, did_you_mean
from adrgen.terminal import echo


@click.group()
def catalog() -> None:
    """Validate, list, show and describe the IPC catalog.

    \b
    Example:
      adrgen catalog validate --catalog ./our-catalog
    """


@catalog.command()
@catalog_option
@config_option
def validate(catalog_dir: Path | None, overlay_path: Path | None, config_path: Path | None) -> None:
    """Check every catalog file; print one line per problem (file:line) or a summary.

    \b
    Example:
      adrgen catalog validate --catalog ./our-catalog
    """
    ws = workspace(config_path, catalog_dir, overlay_path=overlay_path)
    cat = ws.catalog
    overlay = f", overlay {ws.overlay_path}" if ws.overlay_path else ""
    echo(
        f"{ws.catalog_dir}: catalog {cat.meta.name} {cat.meta.version} is valid: "
        f"{len(cat.mechanisms)} mechanisms, {len(cat.situations)} situations, "
        f"{len(cat.checklist)} checklist items, {len(cat.failure_modes)} failure modes, "
        f"{len(cat.rules)} rules{overlay}"
    )


def mechanisms_by_stance(cat: Catalog) -> list[Mechanism]:
    return sorted(cat.mechanisms, key=lambda m: (m.stance.rank, m.ceremony, m.id))


@catalog.command(name="list")
@catalog_option
@config_option
@format_option(tabular=True)
def list_mechanisms(
    catalog_dir: Path | None,
    overlay_path: Path | None,
    config_path: Path | None,
    output_format: str,
) -> None:
    """List the mechanisms with stance, scope and typical use.

    \b
    Example:
      adrgen catalog list --format json
    """
    cat = workspace(config_path, catalog_dir, overlay_path=overlay_path).catalog
    mechanisms = mechanisms_by_stance(cat)
    if output_format == "json":
        print_json(
            [
                {
                    "id": m.id,
                    "name": m.name,
                    "stance": m.stance.value,
                    "scope": m.scope.value,
                    "outcome": m.outcome.value,
                    "typical_use": m.typical_use,
                }
                for m in mechanisms
            ]
        )
        return
    print_table(
        ["id", "stance", "scope", "typical use"],
        [[m.id, m.stance.value, m.scope.value, m.typical_use] for m in mechanisms],
    )


def catalog_as_dict(cat: Catalog) -> dict:
    data = cat.model_dump(mode="json")
    meta = data.pop("meta")
    for mechanism in data["mechanisms"]:
        mechanism["outcome"] = cat.mechanism(mechanism["id"]).outcome.value
    return {**meta, **data}


@catalog.command()
@click.argument("entry_id", required=False)
@catalog_option
@config_option
@format_option()
def show(
    entry_id: str | None,
    catalog_dir: Path | None,
    overlay_path: Path | None,
    config_path: Path | None,
    output_format: str,
) -> None:
    """Show one entry (mechanism, situation, checklist item, failure mode), or the whole catalog.

    \b
    Examples:
      adrgen catalog show unix-sockets
      adrgen catalog show --format json > catalog.json
    """
    cat = workspace(config_path, catalog_dir, overlay_path=overlay_path).catalog
    if entry_id is None:
        if output_format == "json":
            print_json(catalog_as_dict(cat))
        else:
            from adrgen.catalog.text_views import catalog_markdown

            echo(catalog_markdown(cat))
        return
    entry = (
        cat.mechanism(entry_id)
        or cat.situation(entry_id)
        or cat.checklist_item(entry_id)
        or cat.failure_mode(entry_id)
    )
    if entry is None:
        known = ", ".join(
            [m.id for m in cat.mechanisms]
            + [s.id for s in cat.situations]
            + [c.id for c in cat.checklist]
            + [f.id for f in cat.failure_modes]
        )
        hint = did_you_mean(entry_id, known.split(", "))
        raise AdrgenError(f"catalog: no entry {entry_id!r}{hint} (known: {known})")
    if output_format == "json":
        data = entry.model_dump(mode="json")
        if isinstance(entry, Mechanism):
            data["outcome"] = entry.outcome.value
        print_json(data)
    else:
        from adrgen.catalog.text_views import entry_markdown

        echo(entry_markdown(cat, entry))


@catalog.command()
@click.option(
    "--kind",
    type=Choice(
        [
            "mechanism",
            "situations",
            "checklist",
            "failure-modes",
            "rules",
            "questions",
            "conflicts",
            "meta",
            "all",
        ]
    ),
    default="all",
    show_default=True,
    help="Schema of one kind of catalog file, or of the whole catalog.",
)
def schema(kind: str) -> None:
    """Print the JSON Schema of catalog files, for editors and the YAML language server.

    \b
    Example:
      adrgen catalog schema --kind mechanism > .schemas/mechanism.json
    """
    from adrgen.catalog.schema import schema_for

    print_json(schema_for(kind))
