"""What to fix or know before relying on a brief's decision analysis.

Each check says what is wrong in words and where, as a place the window can
jump to (``assessments[A,C3]``: the cell of option A and constraint C3).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from briefapp.domain.countries import country_name
from briefapp.domain.entities import (
    UNNAMED_COUNTRY,
    AssessmentResult,
    Brief,
    ConstraintKind,
    CountryRole,
)


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Check:
    """Something to fix or know before relying on the analysis.

    ``area`` is what it concerns (``assessments``, ``scores``, ``options``,
    ``criteria``, ``countries``, ``constraints``, ``recommended_option``);
    ``keys`` the option and constraint or criterion keys, or a country code;
    ``field`` an option's field.
    """

    severity: Severity
    message: str
    area: str
    keys: tuple[str, ...] = ()
    field: str = ""

    @property
    def where(self) -> str:
        """``assessments[A,C3]``, ``options[B].cost`` or ``criteria``."""
        text = self.area + (f"[{','.join(self.keys)}]" if self.keys else "")
        return f"{text}.{self.field}" if self.field else text


def analysis_checks(
    brief: Brief,
    reasons: dict[str, tuple[str, ...]],
    leaders: tuple[str, ...],
    scores: dict[str, dict[str, int]],
    *,
    weights_given: bool,
) -> Iterator[Check]:
    """Every check, most serious first within each kind.

    Args:
        reasons: for each option, the hard constraints that screen it out.
        leaders: the options ranked first.
        scores: each option's score on each criterion, by key.
        weights_given: not every weight is zero (or there are no criteria).
    """
    yield from _weight_checks(brief, weights_given)
    yield from _screening_checks(brief, reasons)
    yield from _assessment_checks(brief, reasons)
    yield from _score_checks(brief, reasons, scores)
    yield from _option_checks(brief)
    yield from _country_checks(brief)
    yield from _recommendation_checks(brief, reasons, leaders)


def _weight_checks(brief: Brief, weights_given: bool) -> Iterator[Check]:
    if brief.options and not brief.criteria:
        yield Check(
            Severity.INFO,
            "There are no criteria yet: add criteria to score and rank the options.",
            "criteria",
        )
    if not weights_given:
        yield Check(
            Severity.ERROR,
            "Every criterion has a weight of zero: give at least one criterion a "
            "weight above zero.",
            "criteria",
        )


def _screening_checks(
    brief: Brief, reasons: dict[str, tuple[str, ...]]
) -> Iterator[Check]:
    if brief.options and all(reasons.get(o.key) for o in brief.options):
        yield Check(
            Severity.ERROR,
            "Every option fails a hard constraint, so none can be recommended.",
            "assessments",
        )


def _assessment_checks(
    brief: Brief, reasons: dict[str, tuple[str, ...]]
) -> Iterator[Check]:
    given = {(a.option, a.constraint): a for a in brief.assessments}
    for option in brief.options:
        for constraint in brief.constraints:
            keys = (option.key, constraint.key)
            name = f"constraint {constraint.key} ({constraint.title})"
            assessment = given.get(keys)
            if assessment is None:
                yield Check(
                    Severity.WARNING,
                    f"Option {option.key} is not assessed against {name}.",
                    "assessments",
                    keys,
                )
            elif constraint.hard and assessment.result is AssessmentResult.UNKNOWN:
                yield Check(
                    Severity.WARNING,
                    f"It is not known whether option {option.key} meets hard {name}.",
                    "assessments",
                    keys,
                )
            elif (
                not constraint.hard
                and assessment.result is AssessmentResult.FAILS
                and not reasons.get(option.key)
            ):
                yield Check(
                    Severity.INFO,
                    f"Option {option.key} fails soft {name}; it stays in the ranking.",
                    "assessments",
                    keys,
                )


def _score_checks(
    brief: Brief,
    reasons: dict[str, tuple[str, ...]],
    scores: dict[str, dict[str, int]],
) -> Iterator[Check]:
    for option in brief.options:
        if reasons.get(option.key):
            continue  # screened out: its scores do not matter
        given = scores.get(option.key, {})
        for criterion in brief.criteria:
            if criterion.key not in given:
                yield Check(
                    Severity.WARNING,
                    f"Option {option.key} has no score on criterion {criterion.key} "
                    f"({criterion.title}); it counts as 0.",
                    "scores",
                    (option.key, criterion.key),
                )


def _option_checks(brief: Brief) -> Iterator[Check]:
    for option in brief.options:
        if option.cost is None:
            yield Check(
                Severity.WARNING,
                f"Option {option.key} has no cost.",
                "options",
                (option.key,),
                "cost",
            )
        if option.delivery_months is None:
            yield Check(
                Severity.WARNING,
                f"Option {option.key} has no delivery time.",
                "options",
                (option.key,),
                "delivery_months",
            )


def _country_checks(brief: Brief) -> Iterator[Check]:
    if any(c.kind is ConstraintKind.EXPORT_CONTROL for c in brief.constraints):
        return
    for country in brief.countries:
        if country.role is CountryRole.RECIPIENT:
            name = (
                "A country not yet named"
                if country.code == UNNAMED_COUNTRY
                else country_name(country.code)
            )
            yield Check(
                Severity.WARNING,
                f"{name} is a recipient, but no constraint covers export and "
                "re-transfer consent (kind “Export and re-transfer”).",
                "countries",
                (country.code,),
            )


def _recommendation_checks(
    brief: Brief, reasons: dict[str, tuple[str, ...]], leaders: tuple[str, ...]
) -> Iterator[Check]:
    recommended = brief.recommended_option
    if recommended is None:
        return
    option = next((o for o in brief.options if o.key == recommended), None)
    if option is not None and option.supplier == UNNAMED_COUNTRY:
        yield Check(
            Severity.WARNING,
            f"The recommended option {recommended} names a supplier that is not "
            "identified yet (XX).",
            "options",
            (recommended,),
            "supplier",
        )
    failed = reasons.get(recommended, ())
    if failed:
        which = ", ".join(failed)
        yield Check(
            Severity.ERROR,
            f"The brief recommends option {recommended}, which fails hard "
            f"constraint{'s' if len(failed) > 1 else ''} {which}.",
            "recommended_option",
        )
    elif leaders and recommended not in leaders:
        first = " and ".join(leaders)
        yield Check(
            Severity.WARNING,
            f"The brief recommends option {recommended}, but the analysis ranks "
            f"option{'s' if len(leaders) > 1 else ''} {first} first.",
            "recommended_option",
        )
