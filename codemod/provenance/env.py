"""The names of one scope, in statement order, and how paths through a scope are joined."""
from __future__ import annotations

from .facts import Fact, join


class Env:
    """``name -> Fact`` for one scope (``c.x`` keys for attributes set on a name)."""

    __slots__ = ("names", "parent", "below", "order")

    def __init__(self, parent: Env | None = None, names: dict[str, Fact] | None = None,
                 below: dict[str, set[str]] | None = None, order: dict[str, int] | None = None) -> None:
        self.parent = parent
        self.names: dict[str, Fact] = names if names is not None else {}
        # a name (or ``c.x``) -> the attribute keys bound below it, so that rebinding it forgets
        # them without a scan of the scope (a module of 20,000 bindings stays linear)
        self.below: dict[str, set[str]] = below if below is not None else {}
        # a plain name -> how many plain names the scope had bound before it (see ``Visible``)
        self.order: dict[str, int] = order if order is not None else {}

    def lookup(self, name: str) -> Fact | None:
        env: Env | None = self
        while env is not None:
            fact = env.names.get(name)
            if fact is not None:
                return fact
            env = env.parent
        return None

    def bind(self, name: str, fact: Fact) -> None:
        """Bind ``name``; what was known about its attributes is forgotten."""
        for key in self.below.pop(name, ()):
            self.names.pop(key, None)
        self._set(name, fact)

    def _set(self, name: str, fact: Fact) -> None:
        self.names[name] = fact
        if "." not in name:
            self.order.setdefault(name, len(self.order))
        head = name
        while "." in head:
            head = head.rsplit(".", 1)[0]
            self.below.setdefault(head, set()).add(name)

    def copy(self) -> Env:
        return Env(self.parent, dict(self.names), {head: set(keys) for head, keys in self.below.items()},
                   dict(self.order))

    def merge(self, *others: Env) -> None:
        """Join the facts of the paths that end in ``self`` and in ``others``."""
        for other in others:
            for name in set(self.names) | set(other.names):
                mine, theirs = self.names.get(name), other.names.get(name)
                if mine is None or theirs is None:
                    self._set(name, mine or theirs)  # type: ignore[arg-type]
                elif mine is not theirs:
                    self._set(name, join([mine, theirs], f"{name} holds different values on different paths"))


class Visible:
    """The plain names bound at one point of the walk, asked after it: each scope up the chain
    as far as it had got then. Taking it costs the depth of the chain, not the names in it."""

    __slots__ = ("levels",)

    def __init__(self, env: Env) -> None:
        levels = []
        scope: Env | None = env
        while scope is not None:
            levels.append((scope.order, len(scope.order)))
            scope = scope.parent
        self.levels = tuple(levels)

    def __contains__(self, name: object) -> bool:
        return any(order.get(name, count) < count for order, count in self.levels)  # type: ignore[call-overload]
