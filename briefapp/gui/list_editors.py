"""The lists of a brief (options, countries, constraints, sources) as editors.

Each list is a table for its short fields and, below it, text boxes for the
long fields of the selected row (descriptions, notes, advantages…). What
each column shows and accepts is declared here; the rules themselves come
from the domain (key and amount checks, supplier consistency).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from functools import partial
from typing import Any, TypeVar

from briefapp.domain.countries import country_choices, country_name, currency_choices
from briefapp.domain.edits import with_items
from briefapp.domain.entities import (
    CONSTRAINT_KIND_LABELS,
    UNNAMED_COUNTRY,
    Brief,
    Constraint,
    ConstraintKind,
    Country,
    CountryRole,
    Criterion,
    Money,
    Option,
    Source,
)
from briefapp.domain.quantities import parse_quantity, quantity_text
from briefapp.domain.validation import (
    key_problem,
    next_key,
    parse_amount,
    parse_count,
    parse_date,
    weight_problem,
)
from briefapp.gui.brief_document import BriefDocument
from briefapp.gui.record_delegate import unmatched_text
from briefapp.gui.record_editor import DetailField, RecordEditor
from briefapp.gui.record_model import Column, Editor
from briefapp.gui.record_table import RecordTableWidget

T = TypeVar("T")
DEFAULT_CURRENCY = "EUR"


def make_list_editors(document: BriefDocument) -> dict[str, RecordEditor[Any]]:
    """The four list editors of a brief, keyed by the brief's field name."""
    return {
        "options": _options_editor(document),
        "countries": _countries_editor(document),
        "constraints": _constraints_editor(document),
        "sources": _sources_editor(document),
        "criteria": _criteria_editor(document),
    }


def _list_editor(
    document: BriefDocument,
    field: str,
    noun: str,
    columns: list[Column[T]],
    details: list[DetailField[T]],
    make_item: Callable[[tuple[T, ...]], T],
    commit: Callable[..., None] | None = None,
    **table_options: Any,
) -> RecordEditor[T]:
    """The editor of the brief's list ``field``: its table and detail boxes."""
    table = RecordTableWidget(
        noun,
        columns,
        commit or _commit_for(document, field),
        make_item,
        **table_options,
    )
    return RecordEditor(document, field, noun, table, details)


def _text_detail(
    label: str, field: str, hint: str, *, as_lines: bool = False
) -> DetailField[Any]:
    """A long text field of the selected row, edited under the table."""
    return DetailField(
        label,
        lambda item: getattr(item, field),
        lambda item, value: replace(item, **{field: value}),
        hint,
        as_lines=as_lines,
    )


def _commit_for(document: BriefDocument, field: str) -> Callable[..., None]:
    """Edits of the list ``field``; references to renamed or removed keys follow."""

    def commit(items: tuple[Any, ...], text: str, merge_key: str | None) -> None:
        brief = document.brief
        if brief is not None:
            document.edit(with_items(brief, field, items), text, merge_key)

    return commit


def _brief(document: BriefDocument) -> Brief:
    brief = document.brief
    assert brief is not None
    return brief


def _key_column(document: BriefDocument, field: str) -> Column[Any]:
    def apply(item: Any, value: Any) -> Any:
        key = str(value).strip()
        others = [i.key for i in getattr(_brief(document), field) if i is not item]
        problem = key_problem(key, others)
        if problem:
            raise ValueError(problem[:1].upper() + problem[1:] + ".")
        return replace(item, key=key)

    return Column("Key", lambda item: item.key, apply, width=60)


def _title_column(noun: str, width: int = 260, stretch: bool = True) -> Column[Any]:
    def apply(item: Any, value: Any) -> Any:
        title = " ".join(str(value).split())
        if not title:
            raise ValueError(f"A {noun} needs a title.")
        return replace(item, title=title)

    return Column("Title", lambda item: item.title, apply, width=width, stretch=stretch)


def _text_column(header: str, field: str, width: int = 140) -> Column[Any]:
    def apply(item: Any, value: Any) -> Any:
        return replace(item, **{field: " ".join(str(value).split())})

    return Column(header, lambda item: getattr(item, field), apply, width=width)


def _preview_column(header: str, field: str) -> Column[Any]:
    """The first line of a long field; typing in it goes on in the field's
    own box under the table (``detail``, that box's label)."""
    return Column(
        header,
        lambda item: " ".join(getattr(item, field).split()),
        width=200,
        detail=header,
    )


# Options ---------------------------------------------------------------------


def _options_editor(document: BriefDocument) -> RecordEditor[Option]:
    columns: list[Column[Option]] = [
        _key_column(document, "options"),
        _title_column("option"),
        Column(
            "Supplier",
            lambda o: country_name(o.supplier) if o.supplier else "None",
            lambda o, value: replace(o, supplier=value),
            value=lambda o: o.supplier,
            editor=Editor.CHOICE,
            choices=partial(_supplier_choices, document),
            width=150,
        ),
        Column(
            "Cost",
            lambda o: _amount_text(o.cost.amount) if o.cost else "",
            _apply_cost,
            value=lambda o: str(o.cost.amount) if o.cost else "",
            width=130,
            align_right=True,
        ),
        Column(
            "Currency",
            lambda o: o.cost.currency if o.cost else "",
            _apply_currency,
            value=lambda o: o.cost.currency if o.cost else DEFAULT_CURRENCY,
            editor=Editor.SEARCH,
            choices=_currency_choices,
            width=76,
        ),
        Column(
            "Quantity",
            lambda o: quantity_text(o.quantity, o.quantity_unit),
            _apply_quantity,
            value=lambda o: _quantity_typed(o.quantity, o.quantity_unit),
            width=130,
            align_right=True,
            tip="Type a number and its unit, e.g. 4 fire units; a number "
            "alone keeps the unit",
        ),
        _count_column("Delivery (months)", "delivery_months", "delivery time", 130),
    ]
    details = [
        _text_detail(
            "Description", "description", "What this option is, in a few sentences."
        ),
        _lines_detail("Advantages", "advantages"),
        _lines_detail("Disadvantages", "disadvantages"),
        _lines_detail("Risks", "risks"),
    ]
    return _list_editor(
        document,
        "options",
        "option",
        columns,
        details,
        lambda items: Option(
            key=next_key("", [o.key for o in items]), title="New option"
        ),
        removal_problem=partial(_option_removal_problem, document),
    )


def _option_removal_problem(document: BriefDocument, option: Option) -> str | None:
    if _brief(document).recommended_option == option.key:
        return (
            f"Option {option.key} is the recommended option; choose another on the "
            "Brief tab before you remove it."
        )
    return None


def _lines_detail(label: str, field: str) -> DetailField[Any]:
    return _text_detail(label, field, f"{label}, one per line.", as_lines=True)


def _supplier_choices(document: BriefDocument) -> list[tuple[str, Any]]:
    """The countries with the supplier role (and any an option already
    names); a hint where to add one when there are none."""
    brief = _brief(document)
    codes = dict.fromkeys(
        [c.code for c in brief.countries if c.role is CountryRole.SUPPLIER]
        + [o.supplier for o in brief.options if o.supplier]
    )
    none = "None" if codes else "None (add a supplier on the Countries tab)"
    return [(none, None)] + [(f"{country_name(c)} ({c})", c) for c in codes]


def _currency_choices() -> list[tuple[str, Any]]:
    return [(code, code) for code, _name in currency_choices()]


def _amount_text(amount: Decimal) -> str:
    """``38,400,000.00``: grouped, with cents unless the amount has finer digits."""
    exponent = amount.as_tuple().exponent
    places = max(2, -exponent) if isinstance(exponent, int) else 2
    return f"{amount:,.{places}f}"


def _apply_cost(option: Option, value: Any) -> Option:
    text = str(value).strip()
    if not text:
        return replace(option, cost=None)
    currency = option.cost.currency if option.cost else DEFAULT_CURRENCY
    return replace(option, cost=Money(parse_amount(text), currency))


def _apply_currency(option: Option, value: Any) -> Option:
    typed = unmatched_text(value)
    if typed is not None:
        raise ValueError(f"“{typed}” is not an ISO 4217 currency code such as EUR.")
    if option.cost is None:
        raise ValueError("Enter the cost before its currency.")
    return replace(option, cost=Money(option.cost.amount, str(value)))


def _apply_quantity(option: Option, value: Any) -> Option:
    quantity, unit = parse_quantity(str(value))
    if quantity is not None and not unit:
        # Typing only the number corrects the number: the unit stays.
        unit = option.quantity_unit
    return replace(option, quantity=quantity, quantity_unit=unit)


def _quantity_typed(quantity: int | None, unit: str) -> str:
    """The quantity as the cell's editor starts: ``12000 rounds``."""
    if quantity is None:
        return ""
    return f"{quantity} {unit}" if unit else str(quantity)


def _count_column(header: str, field: str, what: str, width: int) -> Column[Option]:
    def apply(option: Option, value: Any) -> Option:
        return replace(option, **{field: parse_count(str(value), what)})

    def show(option: Option) -> str:
        number = getattr(option, field)
        return "" if number is None else f"{number:,}"

    return Column(
        header,
        show,
        apply,
        value=lambda o: "" if getattr(o, field) is None else str(getattr(o, field)),
        width=width,
        align_right=True,
    )


# Countries -------------------------------------------------------------------


def _countries_editor(document: BriefDocument) -> RecordEditor[Country]:
    columns: list[Column[Country]] = [
        Column(
            "Country",
            lambda c: f"{country_name(c.code)} ({c.code})",
            partial(_apply_country_code, document),
            value=lambda c: c.code,
            editor=Editor.SEARCH,
            choices=_country_choices,
            width=220,
        ),
        Column(
            "Role",
            lambda c: c.role.value.capitalize(),
            partial(_apply_country_role, document),
            value=lambda c: c.role,
            editor=Editor.CHOICE,
            choices=lambda: [(r.value.capitalize(), r) for r in CountryRole],
            width=110,
        ),
        _preview_column("Notes", "notes"),
    ]
    details = [
        _text_detail(
            "Notes", "notes", "Treaty status, export rules, what this country has said…"
        )
    ]
    return _list_editor(
        document,
        "countries",
        "country",
        columns,
        details,
        lambda _items: Country(UNNAMED_COUNTRY, CountryRole.PARTNER),
        removal_problem=partial(_country_removal_problem, document),
        first_edit_column=0,
    )


def _country_choices() -> list[tuple[str, Any]]:
    return [(f"{name} ({code})", code) for code, name in country_choices()]


def _supplier_problem(brief: Brief, country: Country, action: str) -> str | None:
    """Why ``country`` cannot be changed or removed: an option names it as supplier."""
    others = [c for c in brief.countries if c is not country and c.code == country.code]
    users = [o.key for o in brief.options if o.supplier == country.code]
    if others or not users:
        return None
    if country.code == UNNAMED_COUNTRY:
        name, it = "a country not yet named (XX)", "it"
    else:
        name = it = country_name(country.code)
    if len(users) == 1:
        options = f"Option {users[0]} names {name} as its supplier"
    else:
        keys = f"{', '.join(users[:-1])} and {users[-1]}"
        options = f"Options {keys} name {name} as their supplier"
    return f"{options}; change the supplier before you {action} {it}."


def _apply_country_code(
    document: BriefDocument, country: Country, value: Any
) -> Country:
    typed = unmatched_text(value)
    if typed is not None:
        raise ValueError(f"“{typed}” is not a country name or ISO 3166 code.")
    code = str(value)
    if code == country.code:
        return country
    brief = _brief(document)
    problem = _supplier_problem(brief, country, "change")
    if problem:
        raise ValueError(problem)
    _refuse_duplicate_country(brief, country, code, country.role)
    return replace(country, code=code)


def _apply_country_role(
    document: BriefDocument, country: Country, value: Any
) -> Country:
    role = CountryRole(value)
    _refuse_duplicate_country(_brief(document), country, country.code, role)
    return replace(country, role=role)


def _refuse_duplicate_country(
    brief: Brief, country: Country, code: str, role: CountryRole
) -> None:
    if code == UNNAMED_COUNTRY:
        return
    for other in brief.countries:
        if other is not country and other.code == code and other.role == role:
            raise ValueError(f"{country_name(code)} is already listed as {role.value}.")


def _country_removal_problem(document: BriefDocument, country: Country) -> str | None:
    return _supplier_problem(_brief(document), country, "remove")


# Constraints and sources -----------------------------------------------------


def _constraints_editor(document: BriefDocument) -> RecordEditor[Constraint]:
    columns: list[Column[Constraint]] = [
        _key_column(document, "constraints"),
        _title_column("constraint", width=300, stretch=False),
        Column(
            "Kind",
            lambda c: CONSTRAINT_KIND_LABELS[c.kind],
            lambda c, value: replace(c, kind=ConstraintKind(value)),
            value=lambda c: c.kind,
            editor=Editor.CHOICE,
            choices=lambda: [
                (label, kind) for kind, label in CONSTRAINT_KIND_LABELS.items()
            ],
            width=160,
        ),
        Column(
            "Hard",
            lambda c: "Hard" if c.hard else "Soft",
            lambda c, value: replace(c, hard=bool(value)),
            value=lambda c: c.hard,
            editor=Editor.CHECK,
            width=70,
        ),
        _preview_column("Description", "description"),
    ]
    details = [
        _text_detail(
            "Description", "description", "What the constraint requires and why."
        )
    ]
    return _list_editor(
        document,
        "constraints",
        "constraint",
        columns,
        details,
        lambda items: Constraint(
            key=next_key("C", [c.key for c in items]), title="New constraint"
        ),
    )


def _sources_editor(document: BriefDocument) -> RecordEditor[Source]:
    columns: list[Column[Source]] = [
        _key_column(document, "sources"),
        _title_column("source", width=240),
        _text_column("Publisher", "publisher", width=120),
        _text_column("Author", "author", width=120),
        Column(
            "Date",
            lambda s: s.date.isoformat() if s.date else "",
            lambda s, value: replace(s, date=parse_date(str(value))),
            width=100,
        ),
        _text_column("URL", "url", width=160),
    ]
    details = [_text_detail("Note", "note", "What this source supports in the brief.")]
    return _list_editor(
        document,
        "sources",
        "source",
        columns,
        details,
        lambda items: Source(
            key=next_key("S", [s.key for s in items]), title="New source"
        ),
    )


# Criteria ----------------------------------------------------------------------


def _criteria_editor(document: BriefDocument) -> RecordEditor[Criterion]:
    columns: list[Column[Criterion]] = [
        _key_column(document, "criteria"),
        _title_column("criterion", width=260),
        Column(
            "Weight",
            lambda c: f"{c.weight:g}",
            _apply_weight,
            value=lambda c: c.weight,
            editor=Editor.NUMBER,
            width=90,
            align_right=True,
        ),
        Column(
            "Share",
            partial(_weight_share, document),
            width=70,
            align_right=True,
        ),
    ]
    details = [
        _text_detail(
            "Description",
            "description",
            "What the criterion measures, and what a 5 and a 0 mean.",
        )
    ]
    return _list_editor(
        document,
        "criteria",
        "criterion",
        columns,
        details,
        lambda items: Criterion(
            key=next_key("K", [c.key for c in items]), title="New criterion"
        ),
    )


def _apply_weight(criterion: Criterion, value: Any) -> Criterion:
    try:
        weight = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"A weight is a number of 0 or more, not “{value}”.") from None
    problem = weight_problem(weight)
    if problem:
        raise ValueError(f"The weight {problem}.")
    return replace(criterion, weight=weight)


def _weight_share(document: BriefDocument, criterion: Criterion) -> str:
    """The criterion's share of all weights, as used in scoring."""
    total = sum(c.weight for c in _brief(document).criteria)
    return f"{criterion.weight / total:.0%}" if total > 0 else "–"
