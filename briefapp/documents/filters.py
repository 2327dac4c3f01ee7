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

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from briefapp.documents.labels import Labels
from briefapp.documents.text import clean_text, paragraphs

# docxtpl resolves this character inside a rendered run into the end of the
# paragraph and the start of a new one with the same style.
NEW_PARAGRAPH = "\a"
BULLET_STYLE = "ListBullet"
_BULLET = re.compile(r"^\s*[-*•]\s+")
_INLINE = re.compile(
    r"\*\*(?P<bold>.+?)\*\*|(?<![*\w])\*(?P<italic>[^*\s](?:[^*]*[^*\s])?)\*"
)


def make_filters(labels: Labels) -> dict[str, Callable[..., Any]]:
    """The filters, bound to the language of one template."""
    locale = labels.locale

    def date(value: Any, style: str = "long") -> str:
        day = _as_date(value)
        if day is None:
            return ""
        return str(format_date(day, format=style, locale=locale))

    def money(value: Any, currency: str = "EUR") -> str:
        amount = _as_decimal(value)
        if amount is None:
            return ""
        return str(
            format_currency(amount, currency, locale=locale, decimal_quantization=False)
        )

    def number(value: Any) -> str:
        amount = _as_decimal(value)
        return "" if amount is None else str(format_decimal(amount, locale=locale))

    return {
        "paragraphs": paragraphs_filter,
        "markup": markup,
        "bullets": bullets,
        "date": date,
        "money": money,
        "number": number,
    }


def paragraphs_filter(value: Any) -> str:
    """Multi-paragraph text as separate Word paragraphs in the paragraph's style."""
    return NEW_PARAGRAPH.join(paragraphs(clean_text(str(value))))


def markup(value: Any) -> Any:
    """``**bold**``, ``*italic*`` and ``- bullets`` as real Word formatting."""
    from docxtpl import RichTextParagraph

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
    return result


def bullets(items: Iterable[Any]) -> Any:
    """Each item as a bullet point (Word style List Bullet)."""
    from docxtpl import RichTextParagraph

    result = RichTextParagraph()
    for item in items:
        result.add(_runs(clean_text(str(item))), parastyle=BULLET_STYLE)
    return result


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


def _as_decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None
