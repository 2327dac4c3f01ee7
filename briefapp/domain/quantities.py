"""An option's quantity as a user types and reads it: a number and its unit.

``4 fire units`` and ``12,000 rounds`` are read by one function, so the
window and any other place a user types a quantity accept the same text.
"""

from __future__ import annotations

import re

from briefapp.domain.validation import (
    MAX_UNIT_LENGTH,
    has_visible_text,
    parse_count,
    single_line_problem,
)

# Digits grouped by thousands (12,000 / 12 000 / 12 000) or plain digits,
# then the unit, if any.
_QUANTITY = re.compile(
    r"(?P<number>[0-9]{1,3}(?:[,\s\u00a0\u202f][0-9]{3})+(?![0-9])|[0-9]+)"
    r"\s*(?P<unit>.*)",
    re.DOTALL,
)


def parse_quantity(text: str) -> tuple[int | None, str]:
    """The number and unit a user typed as a quantity.

    ``"4 fire units"`` gives ``(4, "fire units")``, ``"12,000 rounds"`` and
    ``"12 000 rounds"`` give ``(12000, "rounds")``, ``"12000"`` gives
    ``(12000, "")`` and empty text ``(None, "")``.

    Raises:
        ValueError: with a sentence saying what is wrong and how to write it.
    """
    typed = text.strip()
    if not typed:
        return None, ""
    match = _QUANTITY.fullmatch(typed)
    unit = " ".join(match["unit"].split()) if match else ""
    if match is None or (unit and not unit[0].isalpha()):
        raise ValueError(
            f"“{typed}” is not a quantity: write a whole number, optionally "
            "followed by its unit, e.g. 4 fire units."
        )
    number = parse_count(match["number"], "quantity")
    if len(unit) > MAX_UNIT_LENGTH:
        raise ValueError(
            f"A quantity's unit is at most {MAX_UNIT_LENGTH} characters; "
            f"“{unit}” has {len(unit)}."
        )
    if single_line_problem(unit, required=False) or (
        unit and not has_visible_text(unit)
    ):
        raise ValueError(f"“{unit}” cannot be a quantity's unit: use plain words.")
    return number, unit


def quantity_text(quantity: int | None, unit: str) -> str:
    """``12,000 rounds``: the number grouped by thousands, then its unit."""
    if quantity is None:
        return ""
    return f"{quantity:,} {unit}" if unit else f"{quantity:,}"
