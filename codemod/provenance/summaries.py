"""Summaries (what a function returns, what ``self.x`` holds) computed once, in any order.

A summary may ask for another one that is still being computed further out: a method that
reads ``self._stripe`` while the class's attributes are being collected from every method,
one of which calls that method. The inner one then gets the best guess so far (nothing, at
first), and every summary that used a guess is returned but not cached. The summary that
was asked for again is recomputed with its own last result as the guess until it stops
changing, and only then cached. So the answer is the same whichever file, function or
method happens to be analysed first.
"""
from __future__ import annotations

from typing import Callable, Hashable, TypeVar

T = TypeVar("T")
_ROUNDS = 4  # a cycle of summaries settles in two or three rounds; more is never needed in practice


class _Frame:
    __slots__ = ("key", "lowest", "asked_again")

    def __init__(self, key: Hashable, depth: int) -> None:
        self.key = key
        self.lowest = depth  # the outermost computation in progress that this one used a guess of
        self.asked_again = False


class Summaries:
    """Keys are tuples whose second item owns the summary (a module's ``Provenance``), so that
    a module done with can be forgotten with everything its analysis kept alive."""

    def __init__(self) -> None:
        self._done: dict[object, dict[Hashable, object]] = {}  # owner -> key -> summary
        self._guess: dict[Hashable, object] = {}
        self._stack: list[_Frame] = []
        self._depth: dict[Hashable, int] = {}

    @property
    def busy(self) -> bool:
        """Whether some summary is being computed."""
        return bool(self._stack)

    def get(self, key: Hashable, compute: Callable[[], T], nothing: T, same: Callable[[T, T], bool]) -> T:
        """The summary ``key``, computed by ``compute``; ``nothing`` is the first guess in a cycle."""
        done = self._done.setdefault(key[1], {})  # type: ignore[index]
        if key in done:
            return done[key]  # type: ignore[return-value]
        depth = self._depth.get(key)
        if depth is not None:  # asked for while being computed
            self._stack[depth].asked_again = True
            for frame in self._stack[depth + 1:]:
                frame.lowest = min(frame.lowest, depth)
            return self._guess.get(key, nothing)  # type: ignore[return-value]
        value = nothing
        for _ in range(_ROUNDS):
            frame = self._push(key)
            try:
                value = compute()
            finally:
                self._pop(key)
            if frame.lowest < len(self._stack):  # it used a guess of a summary further out: not final
                self._guess.pop(key, None)
                return value
            if not frame.asked_again:
                break
            if key in self._guess and same(self._guess[key], value):  # type: ignore[arg-type]
                break
            self._guess[key] = value
        self._guess.pop(key, None)
        done[key] = value
        return value

    def forget(self, owner: object) -> None:
        self._done.pop(owner, None)

    def _push(self, key: Hashable) -> _Frame:
        frame = _Frame(key, len(self._stack))
        self._depth[key] = frame.lowest
        self._stack.append(frame)
        return frame

    def _pop(self, key: Hashable) -> None:
        self._stack.pop()
        del self._depth[key]
