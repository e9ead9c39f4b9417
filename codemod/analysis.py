"""Everything the rules read about one parsed module: its sites, their verdicts, positions."""
from __future__ import annotations

from dataclasses import dataclass

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from . import sites as site_finder
from .findings import Edit
from .provenance import Project, Provenance
from .provenance.verdict import Verdict


@dataclass(frozen=True)
class CheckedSite:
    site: site_finder.Site
    verdict: Verdict


class Analysis:
    def __init__(self, module: cst.Module, path: str | None = None, project: Project | None = None) -> None:
        wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        self.module = module
        self._positions = wrapper.resolve(PositionProvider)
        self.provenance = Provenance(module, self.line, project=project, path=path)
        found = site_finder.collect(self.provenance)
        self.sites = [CheckedSite(site, site.verdict(self.provenance)) for site in found]

    @property
    def stripe_evidence(self) -> str | None:
        """Why this module counts as Stripe-using code, or None: then it has no findings."""
        if self.provenance.stripe_evidence is not None:
            return self.provenance.stripe_evidence
        proven = next((checked for checked in self.sites if checked.verdict.stripe), None)
        return proven.verdict.why if proven is not None else None

    def line(self, node: cst.CSTNode) -> int:
        position = self._positions.get(node)
        return position.start.line if position is not None else 0

    def edit(self, node: cst.CSTNode, old: str, new: str) -> Edit:
        """Replace the source text ``old`` of ``node`` with ``new``."""
        position: CodeRange = self._positions[node]
        start, end = position.start, position.end
        return Edit((start.line, start.column), (end.line, end.column), old, new)

    def span(self, token: cst.CSTNode) -> tuple[int, int, int, int]:
        """1-based line and column of the token's text (inside the quotes of a string)."""
        position: CodeRange = self._positions[token]
        start, end = position.start, position.end
        inset = 0
        if isinstance(token, cst.SimpleString):
            inset = len(token.prefix) + len(token.quote)
        return start.line, start.column + 1 + inset, end.line, end.column + 1 - inset
