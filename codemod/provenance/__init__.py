"""Which Stripe object is this value, and why? The one place that answers it.

Everything outside this package asks through the names below: a module's ``Provenance``
(facts of expressions, walked in statement order), the ``Project`` that resolves imports,
the kinds of ``Fact`` it answers with, the ``Verdict`` on a site of a catalog change, and
``sdk``, what the stripe SDK's calls are and return.
"""
from __future__ import annotations

from . import stripe_sdk as sdk
from .describe import describe
from .env import Env, Visible
from .facts import Fact, FieldNames, Imported, StripeData, StripeSymbol
from .module import Provenance
from .project import Project
from .verdict import Verdict, of_keyword, of_receiver
from .walk import Visit, Visits, dispatch

__all__ = [
    "Env", "Fact", "FieldNames", "Imported", "Project", "Provenance", "StripeData", "StripeSymbol", "Verdict", "Visible", "Visit", "Visits", "dispatch",
    "describe", "of_keyword", "of_receiver", "sdk",
]
