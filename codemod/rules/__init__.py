"""The rules, in the order of their codes: the catalog's changes, then the others. Codes are stable forever."""
from __future__ import annotations

from . import changes, sb002_balance_transaction, sb100_api_version, sb900_unresolved, sdk_surface
from .base import Rule

RULES: tuple[Rule, ...] = tuple(sorted(
    (*changes.RULES, *sdk_surface.RULES, sb002_balance_transaction.RULE, sb100_api_version.RULE, sb900_unresolved.RULE),
    key=lambda rule: rule.code,
))

__all__ = ["RULES", "Rule"]
