"""What a template can use: every value and filter, with its type and meaning.

This is the single description of the template context. The field reference
for template authors is generated from it (``briefapp templates reference``),
the template checker uses it to find misspelt names (``o.titel``), and a test
keeps it identical to what ``brief_context`` builds.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    TEXT = "text"
    NUMBER = "number or empty"
    BOOLEAN = "true or false"
    TEXT_LIST = "list of text"
    RECORDS = "list"
    RECORD = "record or none"
    TABLE = "table: write it as {{p … }} alone in its paragraph"
    PICTURE = "picture: write it as {{ … }} alone in its paragraph"


@dataclass(frozen=True, slots=True)
class Field:
    """One value in the context; ``items`` are the fields of each record."""

    name: str
    kind: Kind
    description: str
    items: tuple[Field, ...] = ()


@dataclass(frozen=True, slots=True)
class FilterDoc:
    name: str
    usage: str
    description: str


def _text(name: str, description: str) -> Field:
    return Field(name, Kind.TEXT, description)


OPTION_SCORE = (
    _text("key", "the criterion's key"),
    _text("title", "the criterion's title"),
    _text("weight", "the criterion's share of all weights, as a percentage"),
    _text("score", "the option's score on it, 0 to 5, or empty if not scored"),
    _text("points", "what the score adds to the weighted score, or empty"),
    _text("rationale", "why the option scored so, or empty"),
)
OPTION_ASSESSMENT = (
    _text("key", "the constraint's key"),
    _text("title", "the constraint's title"),
    Field("hard", Kind.BOOLEAN, "whether every option must meet the constraint"),
    _text("strength", "Hard or Soft, in the template's language"),
    _text("result", "meets, partial, fails or unknown"),
    _text("result_label", "the result in the template's language"),
    _text("mark", "the result as a sign: ✓ meets, ◐ partial, ✗ fails, ? unknown"),
    _text("note", "why the option stands so against it, or empty"),
    _text("source", "the key of the source the note relies on, or empty"),
)
OPTION = (
    _text("key", "the option's key"),
    _text("title", "what the option is, in a line"),
    _text("description", "the option in a few sentences"),
    _text("supplier", "the supplier's ISO 3166 code (XX: not yet named), or empty"),
    _text("supplier_name", "the supplier's name in the template's language, or empty"),
    _text("cost", "the cost with its currency, formatted"),
    _text("cost_amount", "the exact cost as a decimal number, without grouping"),
    _text("currency", "the ISO 4217 currency code of the cost"),
    _text("quantity", "the quantity, formatted, without its unit"),
    _text("quantity_unit", "what the quantity counts (rounds, fire units), or empty"),
    _text("quantity_text", "the quantity with its unit, formatted"),
    Field("delivery_months", Kind.NUMBER, "the delivery time in months"),
    _text("delivery", "the delivery time in words"),
    Field("advantages", Kind.TEXT_LIST, "the option's advantages, one item each"),
    Field("disadvantages", Kind.TEXT_LIST, "the option's disadvantages"),
    Field("risks", Kind.TEXT_LIST, "the option's risks"),
    Field("rank", Kind.NUMBER, "its place in the ranking (1 for first), or empty"),
    _text(
        "score",
        "its weighted score out of 100, to one decimal, or empty; an option "
        "screened out has a score but no rank",
    ),
    Field("screened_out", Kind.BOOLEAN, "whether it fails a hard constraint"),
    Field("reasons", Kind.TEXT_LIST, "each hard constraint it fails, with the note"),
    Field(
        "scores",
        Kind.RECORDS,
        "its score on each criterion, with the rationale (empty without criteria)",
        OPTION_SCORE,
    ),
    Field(
        "assessments",
        Kind.RECORDS,
        "how it stands against each constraint it was assessed on, with the note",
        OPTION_ASSESSMENT,
    ),
)
COUNTRY = (
    _text("code", "ISO 3166 alpha-2 code, XX for a country not yet named"),
    _text("name", "the country's name in the template's language"),
    _text("role", "acquirer, supplier, recipient or partner"),
    _text("role_label", "the role in the template's language"),
    _text("notes", "treaty status, export rules and other notes"),
)
CONSTRAINT = (
    _text("key", "the constraint's key"),
    _text("title", "the constraint in a line"),
    _text("description", "what it requires and why"),
    Field("hard", Kind.BOOLEAN, "whether every option must meet it"),
    _text("strength", "Hard or Soft, in the template's language"),
    _text(
        "kind",
        "legal, budget, schedule, export_control, political, technical or other",
    ),
    _text("kind_label", "the kind in the template's language"),
)
SOURCE = (
    _text("key", "the source's key, for citing"),
    _text("title", "its title"),
    _text("publisher", "who published it"),
    _text("author", "who wrote it"),
    _text("date", "its date, formatted, or empty"),
    _text("url", "where it can be found"),
    _text("note", "what it supports in the brief"),
    _text("citation", "author, title, publisher and date joined with commas"),
)
CRITERION = (
    _text("key", "the criterion's key"),
    _text("title", "what the options are scored on"),
    _text("description", "what it measures"),
    _text("weight", "its weight as entered, formatted"),
    _text("share", "its share of all weights, as a percentage"),
)
RANKED = (
    Field("rank", Kind.NUMBER, "1 for first; equal scores share a rank"),
    _text("key", "the option's key"),
    _text("title", "the option's title"),
    _text("score", "its weighted score out of 100, to one decimal"),
)
SCREENED = (
    _text("key", "the option's key"),
    _text("title", "the option's title"),
    Field("reasons", Kind.TEXT_LIST, "each hard constraint it fails, with the note"),
)
SENSITIVITY = (
    _text("key", "the criterion's key"),
    _text("title", "the criterion's title"),
    _text("weight", "its share of the weights now, as a percentage"),
    _text("stable_from", "the lowest share at which first place holds"),
    _text("stable_to", "the highest share at which first place holds"),
    _text("leader_below", "who ranks first below stable_from, or empty"),
    _text("next_leader", "who ranks first above stable_to, or empty"),
)

CONTEXT = (
    _text("reference", "the brief's file reference"),
    _text("title", "the subject of the brief"),
    _text("classification", "the security marking; every header and footer shows it"),
    _text("brief_type", "decision or information"),
    _text("brief_type_label", "the type of brief in the template's language"),
    _text("addressee", "to whom, and the action sought"),
    _text("drafter", "from whom; the contact officer"),
    _text("date", "the day of the export, formatted"),
    _text("date_iso", "the day of the export as YYYY-MM-DD"),
    _text("deadline", "when a decision is needed, formatted, or empty"),
    _text("deadline_iso", "the same as YYYY-MM-DD, or empty"),
    _text("deadline_reason", "why the decision is needed by then"),
    _text("summary", "the issue in brief; use |paragraphs or |markup"),
    Field("key_points", Kind.TEXT_LIST, "the key points, one item each"),
    _text("decision_sought", "what the minister is asked to decide"),
    _text("recommendation", "the recommendations (That you…)"),
    _text("recommended_option", "the key of the recommended option, or empty"),
    Field("recommended", Kind.RECORD, "the recommended option, or none", OPTION),
    _text("background", "how the issue arose"),
    _text("considerations", "legal, financial, political and other considerations"),
    _text("next_steps", "what happens after the decision"),
    _text("language", "the template's language (en, lt)"),
    Field("options", Kind.RECORDS, "the options, in order", OPTION),
    Field("countries", Kind.RECORDS, "the countries involved", COUNTRY),
    Field("constraints", Kind.RECORDS, "the constraints", CONSTRAINT),
    Field("sources", Kind.RECORDS, "the sources, in order", SOURCE),
    Field("criteria", Kind.RECORDS, "what the options are scored on", CRITERION),
    Field(
        "ranking",
        Kind.RECORDS,
        "the options not screened out, best first (empty until scored)",
        RANKED,
    ),
    Field(
        "screened_out",
        Kind.RECORDS,
        "the options that fail a hard constraint",
        SCREENED,
    ),
    Field(
        "sensitivity",
        Kind.RECORDS,
        "for each criterion, the shares of the weights within which first place holds",
        SENSITIVITY,
    ),
    _text("robustness", "how safe first place is, in one sentence"),
    Field(
        "assessment_matrix",
        Kind.TABLE,
        "each option against each constraint (meets, partial, fails, unknown); "
        "empty without options and constraints",
    ),
    Field(
        "score_chart",
        Kind.PICTURE,
        "the weighted scores of the ranked options, stacked by criterion; empty "
        "until options are scored",
    ),
)

FILTERS = (
    FilterDoc(
        "paragraphs",
        "{{ background|paragraphs }}",
        "text with blank lines between paragraphs as separate Word paragraphs in "
        "the style of the tag's paragraph; single line breaks are kept",
    ),
    FilterDoc(
        "markup",
        "{{p considerations|markup }}",
        "light markup as real formatting: **bold**, *italic*, and lines starting "
        "with '- ' as bullet points; the tag must be a paragraph tag ({{p …}})",
    ),
    FilterDoc(
        "bullets",
        "{{p o.advantages|bullets }}",
        "a list of text as bullet points (style List Bullet); a paragraph tag",
    ),
    FilterDoc(
        "date",
        "{{ deadline_iso|date('short') }}",
        "a YYYY-MM-DD date in the template's language: 'long' (default), "
        "'medium', 'short' or 'full'",
    ),
    FilterDoc(
        "money",
        "{{ o.cost_amount|money(o.currency) }}",
        "an amount with its currency (default EUR) in the template's language",
    ),
    FilterDoc(
        "number",
        "{{ o.delivery_months|number }}",
        "a number with the template language's grouping and decimal signs",
    ),
)
