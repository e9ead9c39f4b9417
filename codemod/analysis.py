"""Everything the rules read about one parsed module: its sites, their verdicts, positions."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import libcst as cst

from . import pins as pin_finder
from . import records
from . import sdk_uses
from . import sites as site_finder
from .findings import Edit
from .positions import Tree
from .prefilter import words_in
from .catalog import WORDS
from .occurrences import word_tokens
from .lines import split_lines
from .source import FileError
from .provenance import Project, Provenance, Verdict, dispatch
from .provenance.walk import children
from .statements import Location, StatementIndex


@records.fast_init
@dataclass(frozen=True)
class CheckedSite:
    site: site_finder.Site
    verdict: Verdict


class Analysis:
    def __init__(
        self, tree: Tree | cst.Module, path: str | None = None, project: Project | None = None, text: str | None = None,
        words: frozenset[str] | None = None,
    ) -> None:
        if isinstance(tree, cst.Module):
            tree = Tree(tree, WORDS)
        self.module = module = tree.module
        self.path = path
        self.text = text if text is not None else module.code
        self._positions, self._named, self.code, self._line = tree.spans, tree.named, tree.code, tree.line
        # the tree's ``line``, not ``self.line``: the provenance would hold the analysis that holds it
        self.provenance = Provenance(module, tree.line, project=project, path=path, text=self.text, read=tree.read)
        if words is None:
            words = words_in(self.text.encode("utf-8", "surrogatepass"))
        found, visit_sites = site_finder.collector(self.provenance, words)
        self.pins, visit_pins = pin_finder.collector(self.provenance)
        self.object_uses, self.module_uses, visit_sdk = sdk_uses.collector(self.provenance)
        self.provenance.walk(dispatch(visit_sites, visit_pins, visit_sdk))
        self.sites = [CheckedSite(site, site.verdict(self.provenance)) for site in found]
        self._by_access = {id(checked.site.access): checked for checked in self.sites}
        self._lines: list[tuple[str, str]] | None = None
        self._statements: StatementIndex | None = None
        self._tokens: list[tuple[str, int, int, str]] | None = None

    @property
    def statements(self) -> StatementIndex:
        if self._statements is None:
            self._statements = StatementIndex(self.module)
        return self._statements

    def other_occurrences(self, word: str) -> list[tuple[int, int, str]]:
        """``(line, col, what)`` of the tokens of ``word`` that are no site: names, strings."""
        if self._tokens is None:  # once per module, for all the changes
            # a word whose name and string tokens are all sites has no other occurrence
            at_sites = Counter(checked.site.word for checked in self.sites if not checked.site.named)
            left = frozenset(word for word, count in self._named.items() if count > at_sites[word])
            self._tokens = []
            if left:
                sites = {self.site_span(checked.site)[:2] for checked in self.sites}
                self._tokens = [t for t in word_tokens(self.text, left) if (t[1], t[2]) not in sites]
        return [(line, col, what) for found, line, col, what in self._tokens if found == word]

    def sites_of(self, word: str) -> list[CheckedSite]:
        return [checked for checked in self.sites if checked.site.word == word]

    def site_at(self, access: cst.CSTNode) -> CheckedSite | None:
        """The site whose whole access (``c.balance``, ``c["balance"]``) is this node."""
        return self._by_access.get(id(access))

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        """The node that holds ``node`` (found by a search: only a fix that rewrites an
        expression in place asks)."""
        stack: list[cst.CSTNode] = [self.module]
        while stack:
            current = stack.pop()
            for child in children(current):
                if child is node:
                    return current
                stack.append(child)
        return None

    def source_line(self, number: int) -> str:
        """The text of a line (1-based), without its line ending."""
        return self._split()[number - 1][0]

    def lines(self) -> list[str]:
        """Every line's text, split where Python splits them (a lone CR ends a line too)."""
        return [line for line, _ in self._split()]

    def _split(self) -> list[tuple[str, str]]:
        if self._lines is None:
            self._lines = split_lines(self.text)
        return self._lines

    def separator(self, location: Location) -> str:
        """What goes between two statements that replace ``location``'s small statement."""
        if not location.alone:
            return "; "
        line, ending = self._split()[self.line(location.small) - 1]
        indent = line[: len(line) - len(line.lstrip())]
        return (ending or "\n") + indent

    def remove_line(self, location: Location) -> Edit:
        """Remove the whole physical line of a one-line statement."""
        number = self.line(location.small)
        line, ending = self._split()[number - 1]
        return Edit((number, 0), (number + 1, 0), line + ending, "")

    @property
    def stripe_evidence(self) -> str | None:
        """Why this module counts as Stripe-using code, or None: then it has no findings. Stripe
        data that reaches one of its sites counts, proven or on one path only (a function that
        some callers pass a Stripe object and others something else)."""
        if self.provenance.stripe_evidence is not None:
            return self.provenance.stripe_evidence
        proven = next((checked.verdict.why for checked in self.sites if checked.verdict.stripe), None)
        return proven or next((checked.verdict.evidence for checked in self.sites if checked.verdict.evidence), None)

    def line(self, node: cst.CSTNode) -> int:
        return self._line(node)

    def edit(self, node: cst.CSTNode, new: str) -> Edit:
        """Replace the node's text, exactly as the file has it, with ``new``.

        LibCST leaves a form feed that starts a line out of its columns; a one-line node is
        then found again on its line. Raises ``FileError`` when the text cannot be trusted.
        """
        line, column, end_line, end_column = self._positions[id(node)]
        expected = node.value if type(node) in (cst.Name, cst.SimpleString) else self.code(node).strip()  # type: ignore[attr-defined]
        text = self._slice(line, column, end_line, end_column)
        if not _same_tokens(text, expected) and line == end_line:
            found = self.source_line(line).find(expected, column)
            if found >= 0:
                column, end_column, text = found, found + len(expected), expected
        if not _same_tokens(text, expected):
            raise FileError("internal error: the source does not match its parse here; file left as it is")
        return Edit((line, column), (end_line, end_column), text, new)

    def rename(self, site: site_finder.Site, new: str) -> Edit:
        """The edit that renames a site: its token, or only the name inside a string (several
        names of one string are then separate edits)."""
        if not site.named:
            return self.edit(site.token, site_finder.renamed(site.token, new))
        whole = self.edit(site.token, site.token.value)  # where the string is, checked against the source
        line, start = whole.start[0], whole.start[1] + site.inset
        assert whole.old[site.inset:site.inset + len(site.named)] == site.named
        return Edit((line, start), (line, start + len(site.named)), site.named, new)

    def _slice(self, line: int, column: int, end_line: int, end_column: int) -> str:
        if line == end_line:
            return self.source_line(line)[column:end_column]
        lines = [self.source_line(n) for n in range(line, end_line + 1)]
        return "\n".join([lines[0][column:], *lines[1:-1], lines[-1][:end_column]])

    def site_span(self, site: site_finder.Site) -> tuple[int, int, int, int]:
        """The span of a site's name: its token, or the name inside a string (``"account_balance=0"``)."""
        if not site.named:
            return self.span(site.token)
        line, column = self._positions[id(site.token)][:2]
        col = column + 1 + site.inset
        return line, col, line, col + len(site.named)

    def span(self, token: cst.CSTNode) -> tuple[int, int, int, int]:
        """1-based line and column of the token's text (inside the quotes of a string)."""
        line, column, end_line, end_column = self._positions[id(token)]
        inset = 0
        if type(token) is cst.SimpleString:
            inset = len(token.prefix) + len(token.quote)
        return line, column + 1 + inset, end_line, end_column + 1 - inset


def _same_tokens(a: str, b: str) -> bool:
    """Equal but for white space (continuation lines are indented in the file, not in the parse)."""
    return "".join(a.split()) == "".join(b.split())
