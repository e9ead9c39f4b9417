"""Every rule as the reports and the command line see it, known without loading the rules.

The catalog's changes (of the API and of the SDK) make one entry each; the three rules that are not API changes
(the balance-transaction conversion, version pins, review of what is undecided) are
declared here. Their logic lives in ``rules/``; this module imports neither LibCST nor it.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import rule_docs
from .catalog import CHANGES, SDK_CHANGES


@dataclass(frozen=True)
class RuleInfo:
    code: str
    name: str
    fix: str  # "safe", "unsafe", "report" or "review"
    summary: str
    doc: str  # ruff-style: What it does / Why is this bad? / Example / Fix safety
    level: str = "warning"  # SARIF level and annotation of its findings: "warning" or "note"
    section: str = "review"  # where a report lists its open items: "review", "pins" or "notices" (offers)
    next_step: str = ""  # what a report tells the reader to do about its findings


_OTHERS = (
    RuleInfo(
        "SB002", "balance-update-to-transaction", "unsafe",
        "read-modify-write of a Customer balance -> a Customer Balance Transaction", rule_docs.CONVERSION,
        level="note", section="notices",
        next_step="Balance updates can become Customer Balance Transactions: rerun with `--unsafe-fixes` "
                  "and read each change (it alters behaviour).",
    ),
    RuleInfo(
        "SB100", "api-version-pin", "report",
        "an API version pin (or a stripe SDK below 6.0) older than 2019-10-17", rule_docs.PINS,
        section="pins",
        next_step="Raise the API version pins above to 2019-10-17 or later, with the renamed code.",
    ),
    RuleInfo(
        "SB900", "unresolved-stripe-field", "review",
        "a field or parameter of a catalog change in Stripe-using code that could not be proven either way",
        rule_docs.REVIEW,
    ),
)

INFO: dict[str, RuleInfo] = {
    info.code: info
    for info in sorted(
        (*(RuleInfo(c.code, c.name, c.fix, c.summary, c.doc) for c in CHANGES),
         *(RuleInfo(c.code, c.name, c.fix, c.summary, c.doc) for c in SDK_CHANGES), *_OTHERS),
        key=lambda info: info.code,
    )
}
CODES = tuple(INFO)
