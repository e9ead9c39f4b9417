"""SB100 api-version-pin (its documentation: ``codemod/rule_docs.py``)."""
from __future__ import annotations

from typing import Iterable

from ..analysis import Analysis
from ..findings import CERTAIN, REVIEW, Finding
from ..options import Options
from ..requirements import old_stripe_requirements
from .base import Rule

CODE = "SB100"
RENAMED_IN = "2019-10-17"


def check(analysis: Analysis, options: Options) -> Iterable[Finding]:
    for pin in analysis.pins:
        if pin.version[:10] >= RENAMED_IN:
            continue
        what = "webhook endpoint API version" if pin.endpoint else "API version pin"
        yield Finding(
            CODE,
            *analysis.span(pin.node),
            message=f"{what} {pin.version} is older than {RENAMED_IN}: raise it with the renamed code"
                    + (f" (it is set in {pin.where})" if pin.where else ""),
            why=f"{pin.how} (line {analysis.line(pin.node)})",
            confidence=CERTAIN,
            safe=False,
        )


def requirement_findings(path: str, data: bytes) -> list[Finding]:
    """SB100 for a ``pyproject.toml`` or ``requirements*.txt`` (they are not Python)."""
    return [
        Finding(
            CODE, req.line, req.col, req.line, req.col + len(req.text),
            message=(f"`{req.text}` keeps stripe-python below {req.below}.0: it sends no API version, so the "
                     f"account's default applies; from 6.0 on every release pins one after {RENAMED_IN}"),
            why=f"stripe requirement in {path} (line {req.line})",
            confidence=CERTAIN, safe=False, status=REVIEW,
        )
        for req in old_stripe_requirements(path, data)
    ]


RULE = Rule(CODE, check)
