"""Dataclass methods compiled once and kept, as Python keeps a module's bytecode.

``@dataclass`` writes the source of a class's ``__init__``, ``__eq__``, ``__repr__``... and
compiles it when the class is made. LibCST makes some 200 node classes so, and this tool some
40: compiling their methods was half the time of ``import libcst``, spent again by every run.
While one of them loads, ``dataclasses`` takes the code of a source it compiled before from a
file in this package's ``__pycache__`` (under ``sys.pycache_prefix`` if set), one per module
imported first (with what it imports), keyed by the very text: a text not found there is
compiled as usual, and the file then written again with the codes used. The file is this tool's
own, like a cache of numba's, so ``PYTHONDONTWRITEBYTECODE``, which is about the bytecode of
imported modules, does not keep it from being written; where it cannot be written, or was
written by another interpreter, every run compiles.
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


_PACKAGES = ("libcst", "codemod")  # whose modules are loaded within ``compiled_methods``


def path_for(module: str) -> Optional[str]:
    """The file of the methods compiled while ``module`` loads, tagged by the interpreter."""
    import os
    from importlib.util import cache_from_source

    if sys.implementation.cache_tag is None:
        return None
    return os.path.join(os.path.dirname(cache_from_source(__file__)), f"methods.{module}.{sys.implementation.cache_tag}.bin")


class compiled_methods:  # noqa: N801 - a context manager, named for what holds within it
    """Within: a dataclass's methods are compiled from ``path``'s codes where it holds their text.
    After: ``path`` holds the codes used, if any had to be compiled."""

    active: Optional[compiled_methods] = None  # the one open, if any

    def __init__(self, path: Optional[str]) -> None:
        self.path = path
        self.known: Optional[dict[str, CodeType]] = None  # read when first needed
        self.used: dict[str, CodeType] = {}

    def run(self, source: str | CodeType, globals: Optional[dict[str, object]] = None,
            locals: Optional[dict[str, object]] = None) -> None:
        """``exec`` as ``dataclasses`` calls it, the text's code taken from the file where it is."""
        if isinstance(source, str):
            if self.known is None:
                self.known = _load(self.path) if self.path else {}
            code = self.known.get(source)
            if code is None:
                # dont_inherit: compiled as dataclasses would, not with this module's __future__ flags
                code = compile(source, "<string>", "exec", dont_inherit=True)
            self.used[source] = code
            source = code
        exec(source, globals, locals)  # noqa: S102 - the code dataclasses wrote, as it runs it

    def patch(self, dataclasses: ModuleType) -> None:
        vars(dataclasses)["exec"] = self.run  # found before the builtin, by dataclasses' code alone

    def __enter__(self) -> None:
        compiled_methods.active = self
        if "dataclasses" in sys.modules:  # else patched if a module loading within imports it
            self.patch(sys.modules["dataclasses"])

    def __exit__(self, kind: Optional[type[BaseException]], error: Optional[BaseException], trace: Optional[TracebackType]) -> None:
        compiled_methods.active = None
        if "dataclasses" in sys.modules:
            vars(sys.modules["dataclasses"]).pop("exec", None)
        if self.path and self.known is not None and any(source not in self.known for source in self.used):
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
    """Loads a module of LibCST or of this tool imported while none loads within ``compiled_methods``,
    and ``dataclasses`` if one of them imports it first (patched as soon as it is made)."""

    def find_spec(self, fullname: str, path: Optional[Sequence[str]], target: Optional[ModuleType] = None) -> Optional[ModuleSpec]:
        loading = compiled_methods.active is not None
        if (fullname == "dataclasses") != loading or (not loading and fullname.partition(".")[0] not in _PACKAGES):
            return None
        for finder in sys.meta_path[sys.meta_path.index(self) + 1:]:
            find = getattr(finder, "find_spec", None)
            spec: Optional[ModuleSpec] = find(fullname, path, target) if find is not None else None
            if spec is not None:
                if spec.loader is not None:
                    spec.loader = _Loading(spec.loader)  # type: ignore[assignment]
                return spec
        return None


class _Loading:
    """A module's own loader, run within ``compiled_methods`` (or, for ``dataclasses``, patched by the
    one open); the module keeps the real one."""

    def __init__(self, loader: Loader) -> None:
        self.loader = loader

    def __getattr__(self, name: str) -> object:
        return getattr(self.loader, name)  # create_module, get_code, get_source...: the import system, runpy and inspect

    def exec_module(self, module: ModuleType) -> None:
        module.__loader__ = self.loader
        if module.__spec__ is not None:
            module.__spec__.loader = self.loader
        if compiled_methods.active is not None:
            self.loader.exec_module(module)
            compiled_methods.active.patch(module)
            return
        with compiled_methods(path_for(module.__name__)):
            self.loader.exec_module(module)


def install() -> None:
    """From now on, the modules of LibCST and of this tool load within ``compiled_methods``."""
    if not any(isinstance(finder, _Finder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
