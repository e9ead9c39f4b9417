"""The catalog's changes as rules: one implementation per kind of change.

A rename rewrites the field or parameter name at every proven site; a value-mapped rename
also rewrites the literal values written to or compared with it (and makes a review item
of a value it cannot map); a review-only change reports every proven site. The code,
messages and documentation all come from the catalog entry.
"""
from __future__ import annotations

from typing import Iterable

import libcst as cst

from ..analysis import Analysis, CheckedSite
from ..catalog import CHANGES, RENAME, Change
from ..findings import KEPT, LIKELY, Edit, Finding
from ..occurrences import kept
from ..options import Options
from ..sites import renamed
from .base import Rule
from ..literal import value_of

_NOUNS = {
    "attribute": "field", "getattr-string": "field", "keyword": "parameter",
    "subscript-key": "key", "get-key": "key", "in-test": "key", "dict-key": "key", "field-name": "field name",
    "in-string": "key",
}
_LIKELY = "; only likely Stripe data: fixed with --include-likely"


def message(change: Change, checked: CheckedSite) -> str:
    kind = checked.verdict.kind or change.kinds_text
    return change.message.format(kind=kind, noun=_NOUNS[checked.site.kind])


_NO_EVIDENCE = "this module shows no Stripe data (no stripe import, Stripe call or payload)"


def check(change: Change, analysis: Analysis, options: Options) -> Iterable[Finding]:
    proving = analysis.stripe_evidence is not None  # a module with no Stripe evidence keeps every site
    for checked in analysis.sites_of(change.old):
        verdict = checked.verdict
        if verdict.stripe is False or (not proving and verdict.confidence != LIKELY):
            why = verdict.why if verdict.stripe is False else f"{_NO_EVIDENCE}: {verdict.why}"
            yield Finding(change.code, *analysis.site_span(checked.site), message=change.kept_message,
                          why=why, confidence=verdict.confidence, safe=True, status=KEPT)
        if not (verdict.stripe or verdict.confidence == LIKELY):
            continue
        text = message(change, checked)
        edits: tuple[Edit, ...] = ()
        if change.action == RENAME and change.new is not None:
            mapped = _mapped_values(change, checked, analysis)
            if isinstance(mapped, str):
                text = f"{text}; not renamed: {mapped}"
            else:
                edits = (analysis.rename(checked.site, change.new), *mapped)
                if verdict.confidence == LIKELY:
                    text += _LIKELY
        yield Finding(
            change.code, *analysis.site_span(checked.site), message=text, why=verdict.why,
            confidence=verdict.confidence, safe=True, edits=edits,
        )
    for line, col, what in analysis.other_occurrences(change.old):
        yield kept(change, line, col, what)


def _mapped_values(change: Change, checked: CheckedSite, analysis: Analysis) -> list[Edit] | str:
    """The edits of the values that go with a renamed field, or why they cannot be mapped."""
    if not change.values:
        return []
    values = checked.site.values
    if values is None:
        old = ", ".join(f"`{v}` is `{n}`" if n else f"`{v}` has no equivalent" for v, n in change.values.items())
        return f"its values changed ({old}) and this read is not compared with a literal"
    edits = []
    for value in values:
        literal = value_of(value) if isinstance(value, cst.SimpleString) else None
        if not isinstance(literal, str):
            return f"the value {analysis.code(value).strip()} is computed, so it cannot be mapped"
        if literal not in change.values:
            return f"the value {literal!r} is not one of {', '.join(map(repr, change.values))}"
        new = change.values[literal]
        if new is None:
            return f"the value {literal!r} has no equivalent in `{change.new}`"
        if new != literal:
            assert isinstance(value, cst.SimpleString)
            edits.append(analysis.edit(value, renamed(value, new)))
    return edits


def rule(change: Change) -> Rule:
    return Rule(change.code, lambda analysis, options: check(change, analysis, options))


RULES = tuple(rule(change) for change in CHANGES)
