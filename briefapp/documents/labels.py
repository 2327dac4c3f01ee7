"""The words Briefapp itself puts into a document, in each template language.

A template is written in one language (its ``language`` property); the values
Briefapp supplies (the type of brief, country roles, kinds of constraint,
"Hard"/"Soft", "9 months") follow it. Dates, numbers and money follow the
template's locale through Babel; country names through pycountry.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from briefapp.domain.countries import UNNAMED_COUNTRY_NAME
from briefapp.domain.entities import (
    BRIEF_TYPE_LABELS,
    CONSTRAINT_KIND_LABELS,
    BriefType,
    ConstraintKind,
    CountryRole,
)


@dataclass(frozen=True, slots=True)
class Labels:
    locale: str
    language: str
    brief_types: dict[BriefType, str]
    roles: dict[CountryRole, str]
    kinds: dict[ConstraintKind, str]
    hard: str
    soft: str
    unnamed_country: str
    month: str
    months: str

    def day(self, value: dt.date, style: str = "long") -> str:
        """``15 December 2026`` or ``2026 m. gruodžio 15 d.``"""
        return str(format_date(value, format=style, locale=self.locale))

    def money(self, amount: Decimal, currency: str) -> str:
        """``€1,234.50`` or ``1 234,50 €``, the amount's decimals kept."""
        return str(
            format_currency(
                amount, currency, locale=self.locale, decimal_quantization=False
            )
        )

    def number(self, value: Decimal | int) -> str:
        """``1,200`` or ``1 200``."""
        return str(format_decimal(value, locale=self.locale))


ENGLISH = Labels(
    locale="en_GB",
    language="en",
    brief_types=dict(BRIEF_TYPE_LABELS),
    roles={role: role.value.capitalize() for role in CountryRole},
    kinds=dict(CONSTRAINT_KIND_LABELS),
    hard="Hard",
    soft="Soft",
    unnamed_country=UNNAMED_COUNTRY_NAME,
    month="{n} month",
    months="{n} months",
)

LITHUANIAN = Labels(
    locale="lt_LT",
    language="lt",
    brief_types={
        BriefType.DECISION: "Sprendimo pažyma",
        BriefType.INFORMATION: "Informacinė pažyma",
    },
    roles={
        CountryRole.ACQUIRER: "Pirkėja",
        CountryRole.SUPPLIER: "Tiekėja",
        CountryRole.RECIPIENT: "Gavėja",
        CountryRole.PARTNER: "Partnerė",
    },
    kinds={
        ConstraintKind.LEGAL: "Teisė ir sutartys",
        ConstraintKind.BUDGET: "Biudžetas",
        ConstraintKind.SCHEDULE: "Terminai",
        ConstraintKind.EXPORT_CONTROL: "Eksportas ir perdavimas",
        ConstraintKind.POLITICAL: "Politika",
        ConstraintKind.TECHNICAL: "Technika",
        ConstraintKind.OTHER: "Kita",
    },
    hard="Privalomas",
    soft="Pageidautinas",
    unnamed_country="Dar neįvardyta",
    month="{n} mėn.",
    months="{n} mėn.",
)

_BY_LANGUAGE = {labels.language: labels for labels in (ENGLISH, LITHUANIAN)}


def labels_for(language: str) -> Labels:
    """The labels for a language tag such as ``lt``, ``lt-LT`` or ``en-GB``.

    Languages Briefapp has no words for fall back to British English.
    """
    primary = language.replace("_", "-").split("-", 1)[0].lower()
    return _BY_LANGUAGE.get(primary, ENGLISH)


def speaks(language: str) -> bool:
    """Whether Briefapp has its own words for the language tag ``language``."""
    return language.replace("_", "-").split("-", 1)[0].lower() in _BY_LANGUAGE
