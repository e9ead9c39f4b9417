"""Is this expression Stripe data, and why? The one place that answers it."""
from __future__ import annotations

from .env import Env
from .facts import Fact
from .module import Provenance
from .project import Project

__all__ = ["Env", "Fact", "Project", "Provenance"]
