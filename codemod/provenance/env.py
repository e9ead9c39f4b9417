"""The names of one scope, in statement order, and how paths through a scope are joined.

A path through an ``if``, a loop body or a ``try`` is a *fork* of the scope's state: a layer
holding only what that path binds, over the state it started from. Joining the paths back
touches only the names they bound, so a module of 10,000 ``if`` statements under 10,000
names costs 10,000 small joins, not 10,000 copies of every name.
"""
from __future__ import annotations

from typing import Iterator, Optional, Sequence

from .facts import Fact, join


class Env:
    """``name -> Fact`` for one scope (``c.x`` keys for attributes set on a name)."""

    __slots__ = ("names", "parent", "base", "below", "order", "_count")

    def __init__(self, parent: Env | None = None, base: Env | None = None) -> None:
        self.parent = parent  # the enclosing scope
        self.base = base  # the state of this same scope that this path started from
        # what this layer binds; None: unbound on this path (an attribute key forgotten)
        self.names: dict[str, Optional[Fact]] = {}
        # a name (or ``c.x``) -> the attribute keys this layer binds below it, so that
        # rebinding it forgets them without a scan of the scope (20,000 bindings stay linear)
        self.below: dict[str, set[str]] = {}
        # a plain name this layer binds -> how many plain names the scope had bound before
        # (on any path: one count per scope), for ``Visible``
        self.order: dict[str, int] = {}
        self._count: list[int] = base._count if base is not None else [0]

    def layers(self) -> Iterator[Env]:
        """This path's layers, newest first."""
        layer: Env | None = self
        while layer is not None:
            yield layer
            layer = layer.base

    def local(self, name: str) -> Fact | None:
        """What ``name`` holds in this scope on this path (enclosing scopes not asked)."""
        layer: Env | None = self
        while layer is not None:  # ``layers()`` written out: every name read comes here
            names = layer.names
            if name in names:
                return names[name]
            layer = layer.base
        return None

    def lookup(self, name: str) -> Fact | None:
        scope: Env | None = self
        while scope is not None:
            fact = scope.local(name)
            if fact is not None:
                return fact
            scope = scope.parent
        return None

    def bound(self) -> Iterator[tuple[str, Fact]]:
        """Every name this scope holds on this path."""
        seen: set[str] = set()
        for layer in self.layers():
            for name, fact in layer.names.items():
                if name not in seen:
                    seen.add(name)
                    if fact is not None:
                        yield name, fact

    def bind(self, name: str, fact: Fact) -> None:
        """Bind ``name``; what was known about its attributes is forgotten."""
        layer: Env | None = self
        while layer is not None and name not in layer.below:  # most often none: nothing to forget
            layer = layer.base
        if layer is None:
            self._set(name, fact)
            return
        below = [key for layer in self.layers() if layer.below for key in layer.below.get(name, ())]
        for key in below:
            if self.local(key) is not None:
                self._set(key, None)
        self.below.pop(name, None)
        self._set(name, fact)

    def _set(self, name: str, fact: Fact | None) -> None:
        if fact is None:  # unbound: gone from a scope's first layer, hidden in a path's
            if self.base is None:
                self.names.pop(name, None)
            else:
                self.names[name] = None
            return
        self.names[name] = fact
        if "." not in name and name not in self.order:
            self.order[name] = self._count[0]
            self._count[0] += 1
        head = name
        while "." in head:
            head = head.rsplit(".", 1)[0]
            self.below.setdefault(head, set()).add(name)

    def fork(self) -> Env:
        """A path that starts from this state; this state must not change while it is used."""
        return Env(self.parent, self)

    def become(self, paths: Sequence[Env], since: Env) -> None:
        """This state is now the join of ``paths`` (forks of ``since``, or ``since`` itself),
        taken in order: a name one path leaves unbound takes the other's fact."""
        written = [_since(path, since) for path in paths]
        for name in {name: None for bound in written for name in bound}:
            facts = [bound[name] if name in bound else since.local(name) for bound in written]
            merged = facts[0]
            for theirs in facts[1:]:
                if merged is None or theirs is None:
                    merged = merged or theirs
                elif merged is not theirs:
                    merged = join([merged, theirs], f"{name} holds different values on different paths")
            if merged is not self.local(name):
                self._set(name, merged)


def _since(path: Env, since: Env) -> dict[str, Fact | None]:
    """What ``path`` bound after it forked from ``since`` (its newest layer first)."""
    bound: dict[str, Fact | None] = {}
    for layer in path.layers():
        if layer is since:
            break
        for name, fact in layer.names.items():
            bound.setdefault(name, fact)
    return bound


class Visible:
    """The plain names bound at one point of the walk, asked after it: the layers of each
    scope up the chain as they were then. Taking it costs the depth of the chain, not the
    names in it."""

    __slots__ = ("levels",)

    def __init__(self, env: Env) -> None:
        levels = []
        scope: Env | None = env
        while scope is not None:
            levels.append((tuple(layer.order for layer in scope.layers()), scope._count[0]))
            scope = scope.parent
        self.levels = tuple(levels)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and any(
            order.get(name, count) < count for orders, count in self.levels for order in orders
        )
