"""The other modules of the project, found by import and analysed only when a name is used."""
from __future__ import annotations

import os

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from .facts import Fact, ProjectModule
from .module import Provenance

_MAX_ANCESTORS = 16


class Project:
    """A cache, for one run, of the project's modules that some candidate file uses."""

    def __init__(self) -> None:
        self._modules: dict[str, Provenance | None] = {}
        self._found: dict[tuple[str, str, int], str | None] = {}

    def lookup(self, importer: str, module: str, name: str | None, level: int) -> Fact | None:
        """What ``from <module> import <name>`` (or ``import <module>``) binds in ``importer``."""
        path = self.find(importer, module, level)
        owner = self.load(path) if path else None
        if name is None:
            return ProjectModule(owner, f"module {owner.label}") if owner else None
        if owner is not None:
            found = owner.globals.lookup(name)
            if found is not None:
                return owner.resolve(found)
        submodule = self.find(importer, f"{module}.{name}" if module else name, level)
        loaded = self.load(submodule) if submodule else None
        return ProjectModule(loaded, f"module {loaded.label}") if loaded else None

    def submodule(self, package: Provenance, name: str) -> Fact | None:
        if package.path is None or os.path.basename(package.path) != "__init__.py":
            return None
        path = _module_file(os.path.join(os.path.dirname(package.path), name))
        loaded = self.load(path) if path else None
        return ProjectModule(loaded, f"module {loaded.label}") if loaded else None

    def find(self, importer: str, module: str, level: int) -> str | None:
        folder = os.path.dirname(os.path.abspath(importer))
        key = (folder, module, level)
        if key not in self._found:
            self._found[key] = self._find(folder, module, level)
        return self._found[key]

    def _find(self, folder: str, module: str, level: int) -> str | None:
        parts = [part for part in module.split(".") if part]
        if level:
            for _ in range(level - 1):
                folder = os.path.dirname(folder)
            return _module_file(os.path.join(folder, *parts))
        for _ in range(_MAX_ANCESTORS):
            found = _module_file(os.path.join(folder, *parts)) if parts else None
            if found is not None:
                return found
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
        return None

    def load(self, path: str) -> Provenance | None:
        if path not in self._modules:
            self._modules[path] = None  # an import cycle sees nothing, not a loop
            self._modules[path] = _load(path, self)
        return self._modules[path]


def _module_file(base: str) -> str | None:
    if os.path.isfile(base + ".py"):
        return base + ".py"
    init = os.path.join(base, "__init__.py")
    return init if os.path.isfile(init) else None


def _load(path: str, project: Project) -> Provenance | None:
    try:
        with open(path, "rb") as handle:
            module = cst.parse_module(handle.read())
    except Exception:  # an unreadable or broken module tells us nothing: it stays unknown
        return None
    positions: dict[cst.CSTNode, int] = {}

    def line_of(node: cst.CSTNode) -> int:
        if not positions:
            resolved = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
            positions.update({n: p.start.line for n, p in resolved.items()})
        return positions.get(node, 0)

    label = os.path.relpath(path).replace(os.sep, "/")
    prov = Provenance(module, line_of, project=project, path=path, label=label)
    prov.prepare()
    return prov
