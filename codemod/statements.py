"""Where each small statement of a module stands: its line, its block, the blocks around it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Sequence

import libcst as cst

from . import records

Block = Sequence[cst.BaseStatement]


@records.fast_init
@dataclass(frozen=True)
class Location:
    small: cst.BaseSmallStatement
    line: cst.SimpleStatementLine | cst.SimpleStatementSuite
    chain: tuple[tuple[Block, int], ...]  # (block, index of the statement in it), innermost first

    @property
    def alone(self) -> bool:
        """The small statement is the only one on its line (no ``;``)."""
        return len(self.line.body) == 1

    def following(self) -> Iterator[tuple[cst.BaseStatement, int]]:
        """The statements that run after this one in its scope, with how many blocks out they are."""
        for depth, (block, index) in enumerate(self.chain):
            for statement in block[index + 1 :]:
                yield statement, depth


class StatementIndex:
    """Small statements found by the expression they are made of (a call, a target)."""

    def __init__(self, module: cst.Module) -> None:
        self._by_node: dict[int, Location] = {}
        self._walk(module.body, ())

    def of(self, node: cst.CSTNode) -> Location | None:
        return self._by_node.get(id(node))

    def _walk(self, block: Block, outer: tuple[tuple[Block, int], ...]) -> None:
        for index, statement in enumerate(block):
            chain = ((block, index), *outer)
            # ``type() is``, not ``isinstance``: on LibCST's classes it is slow, and this sees every statement
            if type(statement) is cst.SimpleStatementLine or type(statement) is cst.SimpleStatementSuite:  # type: ignore[comparison-overlap]
                for small in statement.body:
                    self._index(small, Location(small, statement, chain))
            elif type(statement) is cst.FunctionDef or type(statement) is cst.ClassDef:
                self._walk(_inner(statement.body), ())  # a new scope: nothing runs after it here
            else:
                for body in bodies(statement):
                    self._walk(body, chain)

    def _index(self, small: cst.BaseSmallStatement, location: Location) -> None:
        keys: list[cst.CSTNode] = [small]
        if type(small) is cst.Expr:
            keys.append(small.value)
            if type(small.value) is cst.Await:
                keys.append(small.value.expression)
        elif type(small) is cst.AugAssign:
            keys.append(small.target)
        elif type(small) is cst.Assign:
            keys.extend(target.target for target in small.targets)
        for key in keys:
            self._by_node[id(key)] = location


def _inner(suite: cst.BaseSuite) -> Block:
    if type(suite) is cst.IndentedBlock:
        return suite.body
    return [suite] if type(suite) is cst.SimpleStatementSuite else []  # type: ignore[list-item]


def bodies(statement: cst.BaseStatement) -> Iterator[Block]:
    """The blocks directly inside a compound statement, in source order (a one-line suite is
    one block of itself: ``if x: import y``)."""
    for name in ("body", "orelse", "finalbody"):
        part = getattr(statement, name, None)
        kind = type(part)  # ``type() is``: ``isinstance`` on LibCST's classes is slow, and this sees every statement
        if kind is cst.IndentedBlock or kind is cst.SimpleStatementSuite:
            yield _inner(part)  # type: ignore[arg-type]
        elif kind is cst.Else or kind is cst.Finally:
            yield _inner(part.body)  # type: ignore[union-attr]
        elif kind is cst.If:
            yield [part]  # type: ignore[list-item]
    for handler in getattr(statement, "handlers", ()):
        yield _inner(handler.body)
    for case in getattr(statement, "cases", ()):
        yield _inner(case.body)
