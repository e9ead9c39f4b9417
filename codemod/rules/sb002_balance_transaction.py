"""SB002 balance-update-to-transaction (its documentation: ``codemod/rule_docs.py``)."""
from __future__ import annotations

from ..analysis import Analysis
from ..findings import Finding, Note
from ..options import Options
from .balance_updates import TOKEN, Conversion, Refusal, examine
from .base import Rule, Yield

CODE = "SB002"
RENAME = "SB001"  # the rename whose sites it converts
MESSAGE = (
    "direct update of a Stripe Customer balance: a Customer Balance Transaction adds the amount"
    " atomically and is recorded"
)


def check(analysis: Analysis, options: Options) -> Yield:
    """A conversion of each increment; for every other write, the reason, on its rename."""
    for checked in analysis.sites_of(TOKEN):
        if not checked.verdict.stripe:
            continue
        found = examine(analysis, checked, options)
        span = analysis.span(checked.site.token)
        if isinstance(found, Refusal):
            yield Note(RENAME, span[0], span[1], f"not converted to a balance transaction: {found.reason}")
        if not isinstance(found, Conversion):
            continue
        hint = "" if options.unsafe_fixes else " (unsafe fix: rerun with --unsafe-fixes)"
        yield Finding(
            CODE,
            *span,
            message=MESSAGE + hint,
            why="; ".join((checked.verdict.why, *found.notes)),
            confidence=checked.verdict.confidence,
            safe=False,
            edits=found.edits,
            supersedes=(RENAME,),
        )


RULE = Rule(CODE, check)
