"""Line and column of every node of a module, as LibCST's ``PositionProvider`` gives them, in
one code generation pass that costs about a third of the provider's.

The provider records a ``CodeRange`` through a generator context manager for each node and
runs a metadata visit first; here each node costs two list operations and a tuple. The
ranges are the same (``tests/test_linear_parts.py`` compares them on every fixture).
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from types import TracebackType
from typing import Callable, Optional

import libcst as cst
from libcst._nodes.internal import CodegenState

from .literal import value_of

_NEWLINE = re.compile(r"\r\n?|\n")
Span = tuple[int, int, int, int]  # start line (1-based), start column, end line, end column (0-based)


class _Recorder(CodegenState):
    """A code generation state that only counts where each token lands (and, given words, how
    many names and plain strings are one of them)."""

    __slots__ = ("line", "column", "spans", "words", "named", "_inclusive", "_syntactic")

    def __init__(self, module: cst.Module, words: frozenset[str]) -> None:
        super().__init__(default_indent=module.default_indent, default_newline=module.default_newline)
        self.line, self.column = 1, 0
        self.spans: dict[int, Span] = {}
        self.words = words
        self.named: Counter[str] = Counter()  # the names and plain strings that are one of words
        self._inclusive: list[tuple[int, int]] = []
        self._syntactic: list[tuple[cst.CSTNode, Optional[cst.CSTNode], Optional[cst.CSTNode], int, int]] = []

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self.add_token(token)

    def add_token(self, value: str) -> None:
        self.tokens.append(value)
        if "\n" in value or "\r" in value:
            segments = _NEWLINE.split(value)  # a form feed or a line separator is no line break here
            self.line += len(segments) - 1
            self.column = len(segments[-1])
        else:
            self.column += len(value)

    def before_codegen(self, node: cst.CSTNode) -> None:
        self._inclusive.append((self.line, self.column))

    def after_codegen(self, node: cst.CSTNode) -> None:
        line, column = self._inclusive.pop()
        self.spans.setdefault(id(node), (line, column, self.line, self.column))
        if not self.words:
            return
        kind = type(node)
        if kind is cst.Name:
            if node.value in self.words:  # type: ignore[attr-defined]
                self.named[node.value] += 1  # type: ignore[attr-defined]
        elif kind is cst.SimpleString:
            text = node.value  # type: ignore[attr-defined]
            if "\\" in text or any(word in text for word in self.words):
                value = value_of(node)  # type: ignore[arg-type]
                if isinstance(value, str) and value in self.words:
                    self.named[value] += 1

    def record_syntactic_position(  # type: ignore[override]
        self, node: cst.CSTNode, *, start_node: cst.CSTNode | None = None, end_node: cst.CSTNode | None = None,
    ) -> _Recorder:
        self._syntactic.append((node, start_node, end_node, self.line, self.column))
        return self

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        node, start_node, end_node, line, column = self._syntactic.pop()
        end_line, end_column = self.line, self.column
        if start_node is not None:
            line, column = self.spans[id(start_node)][:2]
        if end_node is not None:
            end_line, end_column = self.spans[id(end_node)][2:]
        self.spans[id(node)] = (line, column, end_line, end_column)


def positions(module: cst.Module) -> dict[int, Span]:
    """``id(node) -> span`` for every node of ``module`` (keep the module alive while it is used)."""
    return spans_and_tokens(module, frozenset())[0]


def spans_and_tokens(module: cst.Module, words: frozenset[str]) -> tuple[dict[int, Span], Counter[str]]:
    """The spans, and in the same pass how many of the module's names and plain strings are each
    of ``words``: the only tokens that can be an occurrence of it (a docstring or a comment that
    holds it is none)."""
    recorder = _Recorder(module, words)
    module._codegen(recorder)
    return recorder.spans, recorder.named


class Tree:
    """A parsed module, where each of its nodes is (``spans``), how many of its names and plain
    strings are each of ``words`` (``named``), and the code of a node as the file has it. The
    positions of a tree LibCST parsed come from one code generation pass, run when first asked.
    ``read``: the names the module reads an attribute of (``name.attr``) or gives as a keyword's
    value (``f(key=name)``), when its builder knows them (None: any name may be)."""

    def __init__(self, module: cst.Module, words: frozenset[str],
                 measured: tuple[Mapping[int, Span], Counter[str]] | None = None,
                 code: Callable[[cst.CSTNode], str] | None = None,
                 line: Callable[[cst.CSTNode], int] | None = None,
                 read: frozenset[str] | None = None) -> None:
        self.module = module
        self.read = read
        self.code = code or module.code_for_node
        self.line = line or self._line  # the line a node starts on (0: a node the tree does not hold)
        self._words = words
        self._measured = measured

    def _line(self, node: cst.CSTNode) -> int:
        span = self.spans.get(id(node))
        return span[0] if span is not None else 0

    @property
    def spans(self) -> Mapping[int, Span]:
        return self._measure()[0]

    @property
    def named(self) -> Counter[str]:
        return self._measure()[1]

    def _measure(self) -> tuple[Mapping[int, Span], Counter[str]]:
        if self._measured is None:
            self._measured = spans_and_tokens(self.module, self._words)
        return self._measured
