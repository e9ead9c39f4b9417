"""Is this expression Stripe data, and why? The one place that answers it."""
from __future__ import annotations

from .facts import DictLiteral, Fact, Foreign, Instance, LocalDef, StripeData, StripeSymbol, Unknown
from .flow import Env, Provenance

__all__ = [
    "DictLiteral", "Env", "Fact", "Foreign", "Instance", "LocalDef", "Provenance",
    "StripeData", "StripeSymbol", "Unknown",
]
