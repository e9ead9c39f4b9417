"""SB900 unresolved-stripe-field (its documentation: ``codemod/rule_docs.py``)."""
from __future__ import annotations

from typing import Iterable

from ..analysis import Analysis
from ..catalog import Change
from ..findings import LIKELY, Finding
from ..options import Options
from .base import Rule

CODE = "SB900"


def message(change: Change) -> str:
    return f"could not prove whether this `{change.old}` is a Stripe {change.kinds_text} field; review it"


def check(analysis: Analysis, options: Options) -> Iterable[Finding]:
    evidence = analysis.stripe_evidence
    if evidence is None:
        return
    for checked in analysis.sites:
        if checked.verdict.stripe is not None or checked.verdict.confidence == LIKELY:
            continue
        change = checked.site.change
        if not options.rule_enabled(change.code, analysis.path):
            continue
        yield Finding(
            CODE,
            *analysis.site_span(checked.site),
            message=message(change),
            why=checked.verdict.why,
            confidence=checked.verdict.confidence,
            safe=False,
        )


RULE = Rule(CODE, check)
