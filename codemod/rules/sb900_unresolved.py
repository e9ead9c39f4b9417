"""SB900 unresolved-stripe-field (its documentation: ``codemod/rule_docs.py``)."""
from __future__ import annotations

from typing import Iterable

from ..analysis import Analysis
from ..findings import LIKELY, Finding
from ..options import Options
from .base import Rule

CODE = "SB900"


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
            message=change.review_message,
            why=checked.verdict.why,
            confidence=checked.verdict.confidence,
            safe=False,
        )


RULE = Rule(CODE, check)
