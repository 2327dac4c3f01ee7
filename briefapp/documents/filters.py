"""Filters every template can use, formatting in the template's language.

``markup`` and ``bullets`` build real Word paragraphs (bold and italic runs,
List Bullet paragraphs) with docxtpl's rich text, whose text is escaped, so
user text still cannot change the document's structure.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from jinja2.exceptions import TemplateRuntimeError
from markupsafe import Markup

from briefapp.documents.labels import Labels
from briefapp.documents.text import clean_text, paragraphs
from briefapp.domain.countries import is_known_currency

# docxtpl resolves this character inside a rendered run into the end of the
# paragraph and the start of a new one with the same style.
NEW_PARAGRAPH = "\a"
BULLET_STYLE = "ListBullet"
_BULLET = re.compile(r"^\s*[-*•]\s+")
_INLINE = re.compile(
    r"\*\*(?P<bold>.+?)\*\*|(?<![*\w])\*(?P<italic>[^*\s](?:[^*]*[^*\s])?)\*"
)


DATE_STYLES = ("short", "medium", "long", "full")


def make_filters(labels: Labels) -> dict[str, Callable[..., Any]]:
    """The filters, bound to the language of one template.

    A value a filter cannot use is an error naming the filter and the value,
    never a silent blank; an empty value prints nothing.
    """

    def date(value: Any, style: str = "long") -> str:
        if style not in DATE_STYLES:
            raise FilterError(
                f"date('{style}'): the style must be one of {', '.join(DATE_STYLES)}"
            )
        if value in (None, ""):
            return ""
        day = _as_date(value)
        if day is None:
            raise FilterError(
                f"date needs a date written YYYY-MM-DD (such as deadline_iso), "
                f"not “{value}”"
            )
        return labels.day(day, style)

    def money(value: Any, currency: str = "EUR") -> str:
        if value in (None, ""):
            return ""
        if not is_known_currency(str(currency)):
            raise FilterError(f"money: “{currency}” is not an ISO 4217 currency code")
        return labels.money(_number(value, "money", "o.cost_amount"), str(currency))

    def number(value: Any) -> str:
        if value in (None, ""):
            return ""
        return labels.number(_number(value, "number", "o.delivery_months"))

    return {
        "paragraphs": paragraphs_filter,
        "markup": markup,
        "bullets": bullets,
        "date": date,
        "money": money,
        "number": number,
    }


class FilterError(TemplateRuntimeError):
    """A filter was given a value it cannot format."""


def _number(value: Any, filter_name: str, example: str) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise FilterError(
            f"{filter_name} needs a plain number (such as {example}), not “{value}”"
        ) from None


def paragraphs_filter(value: Any) -> str:
    """Multi-paragraph text as separate Word paragraphs in the paragraph's style."""
    return NEW_PARAGRAPH.join(paragraphs(clean_text(str(value))))


def markup(value: Any) -> Markup:
    """``**bold**``, ``*italic*`` and ``- bullets`` as real Word formatting."""
    from docxtpl import RichTextParagraph

    if not isinstance(value, str):
        raise FilterError("markup needs text, such as considerations")
    result = RichTextParagraph()
    for block in paragraphs(clean_text(str(value))):
        plain: list[str] = []
        for line in block.split("\n"):
            if _BULLET.match(line):
                if plain:
                    result.add(_runs("\n".join(plain)))
                    plain = []
                result.add(
                    _runs(_BULLET.sub("", line, count=1)), parastyle=BULLET_STYLE
                )
            else:
                plain.append(line)
        if plain:
            result.add(_runs("\n".join(plain)))
    # Only the finished XML goes back to the template: no object a template
    # could call to build XML of its own.
    return Markup(result.xml)


def bullets(items: Iterable[Any]) -> Markup:
    """Each item as a bullet point (Word style List Bullet)."""
    from docxtpl import RichTextParagraph

    if isinstance(items, str):
        raise FilterError(
            "bullets needs a list such as key_points; for text use markup, where "
            "lines starting with “- ” become bullets"
        )
    result = RichTextParagraph()
    for item in items:
        result.add(_runs(clean_text(str(item))), parastyle=BULLET_STYLE)
    return Markup(result.xml)


def _runs(text: str) -> Any:
    from docxtpl import RichText

    rich = RichText()
    position = 0
    for match in _INLINE.finditer(text):
        if match.start() > position:
            rich.add(text[position : match.start()])
        if match.group("bold") is not None:
            rich.add(match.group("bold"), bold=True)
        else:
            rich.add(match.group("italic"), italic=True)
        position = match.end()
    if position < len(text) or not text:
        rich.add(text[position:])
    return rich


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None
