"""The interactive interview of `adrgen new`: the only module that imports questionary.

Every question is a `PromptSpec` built from data (the catalog's questions, the team's extra
fields), and one function asks any spec. The flow:

1. title, context, deciders;
2. one question per fact, numbered, in catalog order, skipped when its `asked_when` does not
   match; answers the catalog declares in conflict are shown with its sentence, and the
   person picks which to answer again;
3. the team's extra fields;
4. the recommendation (and the control channel beside it) with its reasons: accept it, or
   pick another mechanism and justify it;
5. a summary of the questions and answers in words; "no" to writing the record offers to
   change one answer (or to write nothing) and goes round again.

Anything prefilled from an answers file is not asked again but still shows in the summary.
"""

from __future__ import annotations

import copy
import dataclasses
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from adrgen.answers.loading import validate_answers
from adrgen.answers.model import Answers, Facts
from adrgen.authoring.argument import build_argument
from adrgen.authoring.context import asked_facts
from adrgen.catalog.asking import walk
from adrgen.catalog.models import Catalog, FactQuestion, FactsPattern, any_matches
from adrgen.engine import ConflictWarning, Recommendation, find_conflicts, recommend
from adrgen.errors import AdrgenError, ExitCode, did_you_mean
from adrgen.vocabulary import Stance

if TYPE_CHECKING:
    from adrgen.config.team import ExtraField
    from adrgen.config.workspace import Workspace

PromptKind = Literal["text", "confirm", "select"]
Check = Callable[[str], "bool | str"]

PREFILL_SOURCE = "answers file"
TOP_ALTERNATIVES = 3
INPUT_ENDED = "input ended: nothing was written"
CANCELLED = "cancelled: nothing was written"


@dataclass(frozen=True)
class PromptSpec:
    """One question: what to ask, how, and where the answer goes in the answers mapping."""

    key: str  # dotted place in the answers mapping: "title", "facts.same_host", "fields.team"
    kind: PromptKind
    message: str
    hint: str = ""  # shown under the question; may hold several lines
    choices: tuple[tuple[str, Any], ...] = ()  # (label, value), for select
    default: Any = None
    check: Check | None = None  # text only: True, or the message shown before asking again
    convert: Callable[[str], Any] | None = None  # text only: typed text -> stored value
    asked_when: list[FactsPattern] | None = None  # fact questions: any of these, or always
    explicit: bool = False  # confirm only: Enter alone is refused, y or n must be typed
    yes_means: Any = True  # confirm only: the value a yes stands for (a no, its opposite)


@dataclass
class Draft:
    """The answers mapping as it grows, and which of its keys came from the answers file."""

    data: dict[str, Any]
    prefilled: set[str] = field(default_factory=set)
    decided: bool = False  # the recommendation was accepted or another mechanism chosen

    def get(self, key: str) -> Any:
        section, _, name = key.partition(".")
        if not name:
            return self.data.get(section)
        return (self.data.get(section) or {}).get(name)

    def set(self, key: str, value: Any) -> None:
        section, _, name = key.partition(".")
        if not name:
            self.data[section] = value
        else:
            self.data.setdefault(section, {})[name] = value

    def facts(self) -> Facts:
        return Facts.model_validate(self.data.get("facts") or {})

    def forget(self, key: str) -> None:
        """Drop an answer so it is asked again (an answers file's answer too)."""
        section, _, name = key.partition(".")
        if name:
            (self.data.get(section) or {}).pop(name, None)
        else:
            self.data.pop(section, None)
        self.prefilled.discard(key)


# --- entry points -------------------------------------------------------------------------


def stdin_is_interactive() -> bool:
    """Whether a person can answer prompts: both stdin and stdout are terminals."""
    try:
        return bool(sys.stdin and sys.stdin.isatty() and sys.stdout and sys.stdout.isatty())
    except ValueError:  # a closed stream
        return False


def run_interview(ws: Workspace, prefill: dict[str, Any] | None = None) -> Answers:
    """Ask for everything an answers file holds, show the recommendation, return the answers.

    Raises KeyboardInterrupt on Ctrl-C and AdrgenError when input ends or the user cancels.
    """
    catalog = ws.catalog
    draft = start_draft(prefill)
    ask_all(opening_specs(), draft)
    ask_facts(catalog, draft)
    show_checklist_directives(catalog, draft.facts())
    ask_all(field_specs(ws.team_fields), draft)

    while True:
        bare = answers_without_choice(draft)
        advice = recommend(bare, catalog)
        show_recommendation(advice, bare, catalog)
        if not draft.decided:
            decide(draft, advice, catalog)
            draft.decided = True

        answers = validate_answers(draft.data, "interview")
        final = recommend(answers, catalog)  # refuses an override without a justification
        lines = summary_lines(draft, answers, final, catalog, ws.team_fields)
        show_summary(lines)
        if ask(confirm_spec()):
            return answers
        change = ask(change_spec(lines))
        if change == WRITE_NOTHING:
            raise AdrgenError(CANCELLED)
        change_answer(change, draft, catalog, ws.team_fields)


# --- prefill ------------------------------------------------------------------------------


def is_given(value: Any) -> bool:
    return value is not None and value != "" and value != []


def start_draft(prefill: dict[str, Any] | None) -> Draft:
    """A draft holding a copy of the prefill, checked now rather than after every question."""
    data = copy.deepcopy(dict(prefill or {}))
    probe = {**data, "title": data.get("title") or "untitled"}
    validate_answers(probe, PREFILL_SOURCE)
    draft = Draft(data)
    for section in ("facts", "fields"):
        for name, value in (data.get(section) or {}).items():
            if is_given(value):
                draft.prefilled.add(f"{section}.{name}")
    for key in ("title", "context", "deciders", "choice", "justification"):
        if is_given(data.get(key)):
            draft.prefilled.add(key)
    return draft


def answers_without_choice(draft: Draft) -> Answers:
    data = {**draft.data, "choice": None, "justification": None}
    return validate_answers(data, "interview")


# --- prompt specs -------------------------------------------------------------------------


def required(message: str) -> Check:
    def check(text: str) -> bool | str:
        return True if text.strip() else message

    return check


def split_names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


def opening_specs() -> list[PromptSpec]:
    return [
        PromptSpec(
            "title",
            "text",
            "Title of the decision:",
            hint="one line, e.g. CLI talks to the local build daemon",
            check=required("a title is required"),
            convert=str.strip,
        ),
        PromptSpec(
            "context",
            "text",
            "Context: the problem in your team's words:",
            hint="one paragraph; may be left empty",
            convert=str.strip,
        ),
        PromptSpec(
            "deciders",
            "text",
            "Deciders:",
            hint="names, comma-separated",
            convert=split_names,
        ),
    ]


def fact_specs(catalog: Catalog) -> list[PromptSpec]:
    return [fact_spec(question, catalog) for question in catalog.questions]


def fact_spec(question: FactQuestion, catalog: Catalog, number: int | None = None) -> PromptSpec:
    """The question for one fact; `number` is its place among the questions asked."""
    message = f"{number}. {question.prompt}" if number else question.prompt
    hint = question.help
    item = catalog.checklist_item(question.checklist) if question.checklist else None
    if item is not None:
        wording = " ".join(item.question.split())
        if wording == " ".join(question.prompt.split()):
            hint = f"{hint}\n(decision checklist, item {item.number})"
        else:
            # the garden note's own wording stays visible beside the plainer question
            hint = f"{hint}\nDecision checklist, item {item.number}: {wording}"
    key = f"facts.{question.fact.value}"
    if question.choices:
        choices = tuple((choice.label, choice.value) for choice in question.choices)
        return PromptSpec(
            key,
            "select",
            message,
            hint,
            choices,
            default=question.default,
            asked_when=question.asked_when,
        )
    has_default = isinstance(question.default, bool)
    return PromptSpec(
        key,
        "confirm",
        message,
        hint,
        # the prompt's default is the answer that gives the catalog's default value
        default=(question.default == question.yes_means) if has_default else None,
        asked_when=question.asked_when,
        # a fact with no catalog default is too important for a stray Enter to settle
        explicit=not has_default,
        yes_means=question.yes_means,
    )


def field_specs(fields: Iterable[ExtraField]) -> list[PromptSpec]:
    return [field_spec(extra) for extra in fields]


def field_spec(extra: ExtraField) -> PromptSpec:
    key = f"fields.{extra.name}"
    if extra.type == "bool":
        default = extra.default if isinstance(extra.default, bool) else False
        return PromptSpec(key, "confirm", extra.prompt, extra.help, default=default)
    if extra.type == "choice":
        choices = tuple((choice, choice) for choice in extra.choices)
        return PromptSpec(key, "select", extra.prompt, extra.help, choices, default=extra.default)
    default = "" if extra.default is None else str(extra.default)
    if extra.type == "int":
        return PromptSpec(
            key,
            "text",
            extra.prompt,
            extra.help,
            default=default,
            check=whole_number_check(extra.required),
            convert=lambda text: int(text.strip()) if text.strip() else None,
        )
    return PromptSpec(
        key,
        "text",
        extra.prompt,
        extra.help,
        default=default,
        check=required(f"{extra.name} is required") if extra.required else None,
        convert=lambda text: text.strip() or None,
    )


def whole_number_check(is_required: bool) -> Check:
    def check(text: str) -> bool | str:
        text = text.strip()
        if not text:
            return "a whole number is required" if is_required else True
        try:
            int(text)
        except ValueError:
            return f"{text!r} is not a whole number"
        return True

    return check


def accept_spec(advice: Recommendation) -> PromptSpec:
    design = f"{advice.name} ({advice.mechanism})"
    if advice.control is not None:
        design += f" with {advice.control.name} ({advice.control.mechanism}) for control"
    return PromptSpec(
        "accept",
        "confirm",
        f"Use {design}, the recommendation?",
        "answer no to pick another mechanism",
        default=True,
    )


def mechanism_spec(advice: Recommendation, catalog: Catalog) -> PromptSpec:
    """Every mechanism, the recommendation first, then in the order the engine ranked them."""
    order = [advice.mechanism] + [alt.mechanism for alt in advice.alternatives]
    order += [m.id for m in catalog.mechanisms if m.id not in order]
    excluded = {alt.mechanism for alt in advice.alternatives if alt.status == "excluded"}
    choices = []
    for mechanism_id in order:
        mechanism = catalog.mechanism(mechanism_id)
        label = f"{mechanism.name} ({mechanism.id}), {mechanism.stance.value}"
        if mechanism.stance is Stance.hold:
            label += ", ON HOLD: never recommended"
        if mechanism_id == advice.mechanism:
            label += ", recommended"
        elif mechanism_id in excluded:
            label += ", does not fit these facts"
        choices.append((label, mechanism_id))
    return PromptSpec(
        "choice",
        "select",
        "Which mechanism instead?",
        "another choice than the recommendation needs a justification",
        tuple(choices),
        default=advice.mechanism,
    )


def justification_spec(chosen_name: str, recommended_name: str) -> PromptSpec:
    return PromptSpec(
        "justification",
        "text",
        f"Why {chosen_name} rather than {recommended_name}?",
        "this justification goes into the record",
        check=required("a justification is required to choose another mechanism"),
        convert=str.strip,
    )


def confirm_spec() -> PromptSpec:
    return PromptSpec(
        "confirm",
        "confirm",
        "Write the decision record?",
        "answer no to change one answer first (or to write nothing)",
        default=True,
    )


NOTHING = "Nothing: write no record and stop"
WRITE_NOTHING = (
    "-"  # the change spec's value for NOTHING (questionary takes None for "use the label")
)


def change_spec(lines: list[SummaryLine]) -> PromptSpec:
    """Which answer to change before writing; the last choice writes nothing."""
    choices = [(line.text, line.key) for line in lines if line.key is not None]
    choices.append((NOTHING, WRITE_NOTHING))
    return PromptSpec(
        "change",
        "select",
        "Change which answer?",
        "the interview asks it again, then shows the recommendation and the summary anew",
        tuple(choices),
        default=choices[0][1],
    )


def conflict_spec(warning: ConflictWarning, catalog: Catalog, draft: Draft) -> PromptSpec:
    """Which of the conflicting answers to give again."""
    choices = []
    for name in warning.facts:
        question = catalog.question(name)
        value = draft.get(f"facts.{name}")
        label = question.prompt if question else name
        choices.append((f"{label} (now: {answer_text(question, value)})", name))
    return PromptSpec(
        "conflict",
        "select",
        "Which answer do you want to give again?",
        "the other answers stay as they are",
        tuple(choices),
        default=choices[-1][1],
    )


# --- asking -------------------------------------------------------------------------------


def ask_facts(catalog: Catalog, draft: Draft) -> None:
    """Ask every fact question the answers so far call for, in order, numbered as asked; when
    the answers conflict, say why and ask which one to give again."""
    while True:
        conflicts = find_conflicts(draft.facts(), catalog)
        if conflicts:
            warning = conflicts[0]
            say(f"These answers conflict: {' '.join(warning.text.split())}")
            draft.forget(f"facts.{ask(conflict_spec(warning, catalog, draft))}")
            continue
        asked = walk(draft.facts().values(), catalog.questions)[1]
        _forget_skipped(draft, asked)
        pending = [
            name
            for name in asked
            if f"facts.{name}" not in draft.prefilled and draft.get(f"facts.{name}") is None
        ]
        if not pending:
            return
        name = pending[0]
        spec = fact_spec(catalog.question(name), catalog, asked.index(name) + 1)
        value = ask(spec)
        if value is not None:
            draft.set(spec.key, value)


def _forget_skipped(draft: Draft, asked: list[str]) -> None:
    """Answers given in this interview to questions the later answers made irrelevant."""
    for name in list(draft.data.get("facts") or {}):
        key = f"facts.{name}"
        if name not in asked and key not in draft.prefilled:
            draft.forget(key)


def ask_all(specs: Iterable[PromptSpec], draft: Draft) -> None:
    """Ask each spec in order, skipping the prefilled ones and those whose facts rule them out."""
    for spec in specs:
        if spec.key in draft.prefilled:
            continue
        if spec.asked_when is not None and not any_matches(spec.asked_when, draft.facts()):
            continue
        value = ask(spec)
        if value is not None:
            draft.set(spec.key, value)


def ask(spec: PromptSpec) -> Any:
    """Ask one question; Ctrl-C stays a KeyboardInterrupt, the end of input a user error."""
    question = build_question(spec)
    try:
        answer = question.unsafe_ask()
    except EOFError:
        raise AdrgenError(INPUT_ENDED, exit_code=ExitCode.USAGE) from None
    if spec.kind == "text" and spec.convert is not None:
        return spec.convert(answer)
    if spec.kind == "confirm" and spec.yes_means is not True:
        return spec.yes_means if answer else not spec.yes_means
    return answer


def build_question(spec: PromptSpec) -> Any:
    import questionary

    if spec.kind == "text":
        question = questionary.text(
            spec.message,
            default=spec.default or "",
            validate=spec.check,
            instruction=under_question(spec.hint, ">") if spec.hint else None,
        )
    elif spec.kind == "confirm":
        question = questionary.confirm(
            spec.message,
            default=bool(spec.default),
            instruction=confirm_instruction(spec),
        )
        if spec.explicit:
            add_key_bindings(question, refuse_bare_enter())
    else:
        choices = [questionary.Choice(title=label, value=value) for label, value in spec.choices]
        known = {value for _, value in spec.choices}
        question = questionary.select(
            spec.message,
            choices=choices,
            default=spec.default if spec.default in known else None,
            instruction=under_question(spec.hint, "(arrow keys, Enter)"),
        )
        # questionary's list ignores Ctrl-D; end the interview as a text prompt does
        add_key_bindings(question, end_input_on_ctrl_d())
    return question


def confirm_instruction(spec: PromptSpec) -> str:
    """One style for every yes/no question: the keys, then what Enter alone answers."""
    keys = "(y/n)" if spec.explicit else f"(y/n, Enter: {'yes' if spec.default else 'no'})"
    return under_question(spec.hint, keys) + " "


def under_question(hint: str, keys: str) -> str:
    """The hint on its own indented lines below the question, then the keys to answer with.

    questionary puts the instruction right after the question; a line break keeps long
    questions and their help readable in a narrow terminal.
    """
    if not hint:
        return keys
    lines = [line.strip() for line in hint.splitlines() if line.strip()]
    return "".join(f"\n  {line}" for line in lines) + f"\n  {keys}"


def add_key_bindings(question: Any, extra: Any) -> None:
    from prompt_toolkit.key_binding import merge_key_bindings

    app = question.application
    # merged last, so these win over questionary's own bindings for the same keys
    app.key_bindings = merge_key_bindings([app.key_bindings, extra])


def end_input_on_ctrl_d() -> Any:
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.keys import Keys

    bindings = KeyBindings()

    @bindings.add(Keys.ControlD, eager=True)
    def _end(event: Any) -> None:
        event.app.exit(exception=EOFError, style="class:aborting")

    return bindings


def refuse_bare_enter() -> Any:
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.keys import Keys

    bindings = KeyBindings()

    @bindings.add(Keys.ControlM, eager=True)
    def _ignore(event: Any) -> None:
        """Typing y or n answers at once; Enter alone would hide a default."""

    return bindings


# --- the decision -------------------------------------------------------------------------


def decide(draft: Draft, advice: Recommendation, catalog: Catalog) -> None:
    """Accept the recommendation or choose another mechanism, with a justification."""
    if "choice" in draft.prefilled:
        chosen = draft.get("choice")
        if catalog.mechanism(chosen) is None:
            ids = sorted(m.id for m in catalog.mechanisms)
            raise AdrgenError(
                f"choice: unknown mechanism {chosen!r}{did_you_mean(chosen, ids)} "
                f"(known: {', '.join(ids)})"
            )
    elif ask(accept_spec(advice)):
        chosen = advice.mechanism
    else:
        chosen = ask(mechanism_spec(advice, catalog))
        draft.set("choice", None if chosen == advice.mechanism else chosen)
    if chosen == advice.mechanism or "justification" in draft.prefilled:
        return
    draft.set("justification", ask(justification_spec(catalog.mechanism(chosen).name, advice.name)))


# --- what the user sees between prompts ---------------------------------------------------


def say(text: str = "") -> None:
    from adrgen.terminal import echo

    echo(text)


def show_checklist_directives(catalog: Catalog, facts: Facts) -> None:
    """Checklist items that are directives ("design a service boundary") once they apply."""
    for item in catalog.checklist:
        if item.kind == "directive" and item.applies_when and any_matches(item.applies_when, facts):
            say(f"Decision checklist, item {item.number}: {' '.join(item.question.split())}")


def show_recommendation(advice: Recommendation, answers: Answers, catalog: Catalog) -> None:
    """The recommendation as the record will argue it: the reasons that decided it, in the
    answers' words, the control channel, the options weighed and the rest ruled out."""
    argument = build_argument(answers, advice, catalog, asked_facts(answers, advice, catalog))
    say("")
    say(
        f"Recommendation: {advice.name} ({advice.mechanism}), stance {advice.stance}, outcome {advice.outcome}"
    )
    if advice.unmet:
        say("  No mechanism meets every need; unmet: " + "; ".join(advice.unmet))
    say("Why:")
    for reason in argument.reasons:
        say(f"  - {reason.text} [{', '.join(reason.cites)}]")
    if advice.control is not None:
        control = advice.control
        say(f"Control channel: {control.name} ({control.mechanism}), stance {control.stance}")
        for reason in control.reasons:
            say(f"  - {reason.text} [{', '.join(reason.cites)}]")
    weighed = [option for option in argument.options if option.role != "chosen"]
    if weighed:
        say("Weighed:")
        for option in weighed:
            say(
                f"  - {option.name} ({option.id}, {option.stance}), {option.role_label.lower()}: {option.fit}"
            )
    if argument.ruled_out:
        say("Also ruled out: " + "; ".join(group.label for group in argument.ruled_out) + ".")
    say("")


def top_alternatives(advice: Recommendation) -> list[Any]:
    """The best-ranked alternatives; excluded ones only when nothing else is left."""
    ranked = [alt for alt in advice.alternatives if alt.status == "ranked"]
    return (ranked or advice.alternatives)[:TOP_ALTERNATIVES]


@dataclass(frozen=True)
class SummaryLine:
    text: str
    key: str | None  # the answer it shows ("title", "facts.same_host", "choice"), if it can change


def show_summary(lines: list[SummaryLine]) -> None:
    say("")
    say("Summary")
    for line in lines:
        say(f"  {line.text}")
    say("")


def summary_lines(
    draft: Draft,
    answers: Answers,
    final: Recommendation,
    catalog: Catalog,
    fields: Iterable[ExtraField],
) -> list[SummaryLine]:
    """Each question in words with its answer, then the decision."""

    def mark(key: str) -> str:
        return f" ({PREFILL_SOURCE})" if key in draft.prefilled else ""

    lines = [
        SummaryLine(f"Title: {answers.title}{mark('title')}", "title"),
        SummaryLine(f"Context: {answers.context or '-'}{mark('context')}", "context"),
        SummaryLine(
            f"Deciders: {', '.join(answers.deciders) or '-'}{mark('deciders')}", "deciders"
        ),
    ]
    values = answers.facts.values()
    asked = walk(values, catalog.questions)[1]
    for number, name in enumerate(asked, 1):
        question = catalog.question(name)
        value = values.get(name)
        if value is None:
            continue
        key = f"facts.{name}"
        text = f"{number}. {question.prompt} {answer_text(question, value)}{mark(key)}"
        lines.append(SummaryLine(text, key))
    for extra in fields:
        if extra.name in answers.fields:
            key = f"fields.{extra.name}"
            value = describe_value(answers.fields[extra.name])
            lines.append(SummaryLine(f"{extra.prompt} {value}{mark(key)}", key))
    lines.append(
        SummaryLine(f"Mechanism: {final.name} ({final.mechanism}){mark('choice')}", "choice")
    )
    if final.control is not None:
        control = final.control
        lines.append(SummaryLine(f"Control channel: {control.name} ({control.mechanism})", None))
    argument = build_argument(answers, final, catalog, asked_facts(answers, final, catalog))
    if final.override:
        lines.append(SummaryLine(f"  instead of the recommended {final.recommended}", None))
        lines.append(
            SummaryLine(f"Justification: {answers.justification}{mark('justification')}", "choice")
        )
        for item in argument.contradictions:
            lines.append(SummaryLine(f"Goes against: {item.text}", None))
    if argument.obligations:
        owned = "; ".join(item.topic.lower() for item in argument.obligations)
        lines.append(SummaryLine(f"The team will own: {owned}", None))
    return lines


def answer_text(question: FactQuestion | None, value: Any) -> str:
    """An answer as the question was asked: yes or no to its wording, or the choice's label."""
    if value is None:
        return "-"
    return question.answer(value) if question is not None else describe_value(value)


def change_answer(key: str, draft: Draft, catalog: Catalog, fields: Iterable[ExtraField]) -> None:
    """Ask one answer again; a changed fact also asks what it newly calls for, and the
    decision (accept or another mechanism) is asked again."""
    if key == "choice":
        draft.forget("choice")
        draft.forget("justification")
        draft.decided = False
        return
    if key.startswith("facts."):
        draft.forget(key)
        draft.forget("choice")
        draft.forget("justification")
        draft.decided = False
        ask_facts(catalog, draft)
        show_checklist_directives(catalog, draft.facts())
        return
    specs = opening_specs() + field_specs(fields)
    spec = next(spec for spec in specs if spec.key == key)
    current = draft.get(key)
    draft.prefilled.discard(key)
    if spec.kind == "text" and current is not None:
        shown = ", ".join(current) if isinstance(current, list) else str(current)
        spec = dataclasses.replace(spec, default=shown)
    value = ask(spec)
    if value is not None:
        draft.set(key, value)


def describe_value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(getattr(value, "value", value))
