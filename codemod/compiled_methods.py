"""LibCST's dataclass methods, compiled once and kept, as Python keeps a module's bytecode.

``import libcst`` makes some 200 node classes with ``@dataclass``, which writes the source of
their ``__init__``, ``__eq__``, ``__repr__``... and compiles it: about half the import's time,
spent again by every run that parses. While LibCST loads, ``dataclasses`` takes the code of a
source it compiled before from a file in this package's ``__pycache__`` (under
``sys.pycache_prefix`` if set), keyed by the very text: a text not found there is compiled as
usual. The file is this tool's own, like a cache of numba's, so ``PYTHONDONTWRITEBYTECODE``,
which is about the bytecode of imported modules, does not keep it from being written; where it
cannot be written, or was written by another interpreter, every run compiles.
"""
from __future__ import annotations

import sys

TYPE_CHECKING = False  # typing is not imported: a warm run, which replays a report, never loads it
if TYPE_CHECKING:
    from importlib.abc import Loader
    from importlib.machinery import ModuleSpec
    from types import CodeType, ModuleType, TracebackType
    from typing import Optional, Sequence

_HEADER = f"stripe-codemod methods, Python {sys.version}, -O{sys.flags.optimize}".encode()


def default_path() -> Optional[str]:
    """In this package's ``__pycache__`` (or under ``sys.pycache_prefix``), tagged by the interpreter."""
    import os
    from importlib.util import cache_from_source

    if sys.implementation.cache_tag is None:
        return None
    return os.path.join(os.path.dirname(cache_from_source(__file__)), f"libcst-methods.{sys.implementation.cache_tag}.bin")


class compiled_methods:  # noqa: N801 - a context manager, named for what holds within it
    """Within: a dataclass's methods are compiled from ``path``'s codes where it holds their text.
    After: ``path`` holds the codes used, if any had to be compiled."""

    def __init__(self, path: Optional[str]) -> None:
        self.path = path
        self.known = _load(path) if path else {}
        self.used: dict[str, CodeType] = {}

    def run(self, source: str | CodeType, globals: Optional[dict[str, object]] = None,
            locals: Optional[dict[str, object]] = None) -> None:
        """``exec`` as ``dataclasses`` calls it, the text's code taken from the file where it is."""
        if isinstance(source, str):
            code = self.known.get(source)
            if code is None:
                # dont_inherit: compiled as dataclasses would, not with this module's __future__ flags
                code = compile(source, "<string>", "exec", dont_inherit=True)
            self.used[source] = code
            source = code
        exec(source, globals, locals)  # noqa: S102 - the code dataclasses wrote, as it runs it

    def __enter__(self) -> None:
        import dataclasses

        vars(dataclasses)["exec"] = self.run  # found before the builtin, by dataclasses' code alone

    def __exit__(self, kind: Optional[type[BaseException]], error: Optional[BaseException], trace: Optional[TracebackType]) -> None:
        import dataclasses

        del vars(dataclasses)["exec"]
        if self.path and any(source not in self.known for source in self.used):
            _store(self.path, self.used)


def _load(path: str) -> dict[str, CodeType]:
    import marshal

    try:
        with open(path, "rb") as stream:
            data = stream.read()
        if data.startswith(_HEADER + b"\n"):
            codes = marshal.loads(data[len(_HEADER) + 1:])
            if isinstance(codes, dict):
                return codes
    except (OSError, ValueError, EOFError, TypeError):
        pass
    return {}  # none yet, unreadable, or another interpreter's: compiled again


def _store(path: str, codes: dict[str, CodeType]) -> None:
    import contextlib
    import marshal
    import os

    partial = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(partial, "wb") as stream:
            stream.write(_HEADER + b"\n" + marshal.dumps(codes))
        os.replace(partial, path)  # whole or not at all, whichever process writes last
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(partial)


class _Finder:
    """Loads LibCST (the first time it is imported) within ``compiled_methods``."""

    def find_spec(self, fullname: str, path: Optional[Sequence[str]], target: Optional[ModuleType] = None) -> Optional[ModuleSpec]:
        if fullname != "libcst":
            return None
        sys.meta_path.remove(self)
        from importlib.util import find_spec

        spec = find_spec(fullname)
        if spec is not None and spec.loader is not None:
            spec.loader = _Loading(spec.loader)  # type: ignore[assignment]
        return spec


class _Loading:
    """LibCST's own loader, run within ``compiled_methods``; the module keeps the real one."""

    def __init__(self, loader: Loader) -> None:
        self.loader = loader

    def create_module(self, spec: ModuleSpec) -> Optional[ModuleType]:
        return self.loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        module.__loader__ = self.loader
        if module.__spec__ is not None:
            module.__spec__.loader = self.loader
        with compiled_methods(default_path()):
            self.loader.exec_module(module)


def install() -> None:
    """From now on, the first import of LibCST goes through ``compiled_methods``."""
    if "libcst" not in sys.modules and not any(isinstance(finder, _Finder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
