"""What a rule is: a code of the registry, and the findings it yields."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Union

from ..analysis import Analysis
from ..findings import Finding, Note
from ..options import Options

Yield = Iterable[Union[Finding, Note]]


@dataclass(frozen=True)
class Rule:
    code: str
    check: Callable[[Analysis, Options], Yield]
