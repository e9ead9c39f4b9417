"""The names of one scope, in statement order, and how paths through a scope are joined."""
from __future__ import annotations

from .facts import Fact, join


class Env:
    """``name -> Fact`` for one scope (``c.x`` keys for attributes set on a name)."""

    __slots__ = ("names", "parent")

    def __init__(self, parent: Env | None = None, names: dict[str, Fact] | None = None) -> None:
        self.parent = parent
        self.names: dict[str, Fact] = names if names is not None else {}

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
        prefix = name + "."
        for key in [key for key in self.names if key.startswith(prefix)]:
            del self.names[key]
        self.names[name] = fact

    def copy(self) -> Env:
        return Env(self.parent, dict(self.names))

    def merge(self, *others: Env) -> None:
        """Join the facts of the paths that end in ``self`` and in ``others``."""
        for other in others:
            for name in set(self.names) | set(other.names):
                mine, theirs = self.names.get(name), other.names.get(name)
                if mine is None or theirs is None:
                    self.names[name] = mine or theirs  # type: ignore[assignment]
                elif mine is not theirs:
                    self.names[name] = join([mine, theirs], f"{name} holds different values on different paths")
