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
from babel.numbers import format_currency, format_decimal, format_percent

from briefapp.domain.analysis import ENGLISH_PHRASES
from briefapp.domain.countries import UNNAMED_COUNTRY_NAME
from briefapp.domain.entities import (
    BRIEF_TYPE_LABELS,
    CONSTRAINT_KIND_LABELS,
    AssessmentResult,
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
    results: dict[AssessmentResult, str]
    not_assessed: str
    phrases: dict[str, str]
    """The sentences on how robust first place is (see ``robustness_sentence``)."""
    fails: str
    option_word: str
    score_axis: str

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

    def number(self, value: Decimal | int | float) -> str:
        """``1,200`` or ``1 200``."""
        return str(format_decimal(value, locale=self.locale))

    def points(self, value: float) -> str:
        """A score to one decimal: ``68.0`` or ``68,0``."""
        return str(format_decimal(round(value, 1), format="0.0", locale=self.locale))

    def share(self, value: float) -> str:
        """A share of 1 as a percentage: ``27.3%`` or ``27,3 %``."""
        return str(
            format_percent(
                round(value, 3), locale=self.locale, decimal_quantization=False
            )
        )


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
    results={result: result.value for result in AssessmentResult},
    not_assessed="not assessed",
    phrases=ENGLISH_PHRASES,
    fails="fails",
    option_word="Option",
    score_axis="Weighted score (out of 100)",
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
    results={
        AssessmentResult.MEETS: "atitinka",
        AssessmentResult.PARTIAL: "iš dalies",
        AssessmentResult.FAILS: "neatitinka",
        AssessmentResult.UNKNOWN: "nežinoma",
    },
    not_assessed="neįvertinta",
    phrases={
        "recommendation_unless": "Rekomendacija rinktis {leader} variantą galioja, "
        "nebent kriterijaus „{criterion}“ svoris {direction} {threshold}; tada "
        "pirmas būtų {taker} variantas.",
        "first_unless": "Pirmas yra {leader} variantas, nebent kriterijaus "
        "„{criterion}“ svoris {direction} {threshold}; tada pirmas būtų {taker} "
        "variantas.",
        "recommendation_always": "Rekomendacija rinktis {leader} variantą galioja, "
        "kad ir kokį svorį gautų bet kuris vienas kriterijus.",
        "first_always": "Pirmas yra {leader} variantas, kad ir kokį svorį gautų bet "
        "kuris vienas kriterijus.",
        "recommendation_only": "{leader} variantas vienintelis neatmestas, todėl "
        "svorių keitimas rekomendacijos nekeičia.",
        "first_only": "{leader} variantas vienintelis neatmestas, todėl jis pirmas, "
        "kad ir kokie būtų svoriai.",
        "shared_first": "Pirmąją vietą dalijasi variantai {leaders}, todėl vien "
        "balai tarp jų nesprendžia.",
        "rises": "viršytų",
        "falls": "nukristų žemiau",
        "and": "ir",
        "no_options": "Variantų negalima surikiuoti: pažymoje dar nėra variantų.",
        "no_criteria": "Variantų dar negalima surikiuoti: nurodykite kriterijus ir "
        "įvertinkite pagal juos variantus.",
        "zero_weights": "Variantų negalima surikiuoti: visų kriterijų svoris lygus "
        "nuliui.",
        "all_screened": "Variantų negalima surikiuoti: kiekvienas variantas "
        "neatitinka privalomo apribojimo.",
        "no_scores": "Variantų dar negalima surikiuoti: įvertinkite variantus pagal "
        "kriterijus.",
    },
    fails="neatitinka",
    option_word="Variantas",
    score_axis="Svertinis balas (iš 100)",
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
