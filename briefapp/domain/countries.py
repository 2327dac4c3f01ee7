"""Country and currency codes, backed by the ISO data in pycountry.

pycountry is pure data (ISO 3166 and ISO 4217 tables with translations), so
the domain uses it directly rather than keeping a country list of its own.
"""

from __future__ import annotations

import gettext
from functools import cache

import pycountry

from briefapp.domain.entities import UNNAMED_COUNTRY

UNNAMED_COUNTRY_NAME = "Not yet named"


def is_known_country(code: str) -> bool:
    """Whether ``code`` is an ISO 3166 alpha-2 code or the unnamed marker."""
    return code == UNNAMED_COUNTRY or code in _country_names()


def country_name(code: str, language: str = "en") -> str:
    """The short name of a country, e.g. ``LT`` -> ``Lithuania`` (``Lietuva`` in lt).

    English names are pycountry's common names; other languages use the ISO
    3166 translations that pycountry ships. The unnamed marker (``XX``) is the
    caller's to word in other languages.
    """
    if code == UNNAMED_COUNTRY:
        return UNNAMED_COUNTRY_NAME
    if language == "en":
        return _country_names().get(code, code)
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return _translation(language).gettext(country.name)


def country_choices() -> list[tuple[str, str]]:
    """Every country as ``(code, name)``, the unnamed marker first."""
    named = sorted(_country_names().items(), key=lambda item: item[1])
    return [(UNNAMED_COUNTRY, UNNAMED_COUNTRY_NAME), *named]


def currency_choices() -> list[tuple[str, str]]:
    """Every ISO 4217 currency as ``(code, name)``, by code."""
    return sorted((c.alpha_3, c.name) for c in pycountry.currencies)


def is_known_currency(code: str) -> bool:
    """Whether ``code`` is an ISO 4217 alphabetic currency code."""
    return code in _currency_codes()


@cache
def _country_names() -> dict[str, str]:
    return {
        country.alpha_2: getattr(country, "common_name", country.name)
        for country in pycountry.countries
    }


@cache
def _translation(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


@cache
def _currency_codes() -> frozenset[str]:
    return frozenset(currency.alpha_3 for currency in pycountry.currencies)
