"""The rules, in the order their findings are reported. Codes are stable forever."""
from __future__ import annotations

from . import sb001_rename, sb002_balance_transaction, sb100_api_version, sb900_unresolved
from .base import Rule

RULES: tuple[Rule, ...] = (
    sb001_rename.RULE, sb002_balance_transaction.RULE, sb100_api_version.RULE, sb900_unresolved.RULE,
)
BY_CODE = {rule.code: rule for rule in RULES}

__all__ = ["BY_CODE", "RULES", "Rule"]
