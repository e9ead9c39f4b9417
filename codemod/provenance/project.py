"""The other modules of the project, found by import and analysed only when a name is used."""
from __future__ import annotations

import os
import re
from typing import Iterable, Sequence

import libcst as cst

from .facts import Fact, Foreign, Imported, ProjectModule, Unknown
from ..dependencies import Callers, Trail, ancestors, find_module, imported_modules, is_settings, module_stem
from ..files import content_hash, display_path, read
from ..prefilter import mentions_stripe
from ..source import Tree, parse_tree
from .module import Provenance
from .summaries import Summaries


class Project:
    """A cache, for one run, of the project's modules that some candidate file uses."""

    def __init__(self, sources: dict[str, bytes] | None = None, quick: bool = False) -> None:
        self._sources = dict(sources or {})  # bytes already read this run, by absolute path
        self.quick = quick  # the run writes and shows no edit: trees may come from CPython's
        self._parsed: dict[str, Tree] = {}
        self._modules: dict[str, Provenance | None] = {}
        self._silent: dict[str, bytes] = {}  # modules that never mention Stripe: not analysed
        self._unrelated: set[str] = set()  # files of the run that never mention Stripe, not kept
        self._forced: dict[str, Provenance | None] = {}  # ... unless a candidate calls a function of one
        self._found: dict[tuple[str, str, int], str | None] = {}
        self._run: list[str] = []  # every file of the run, for the calls of a function
        self._callers_found: Sequence[Callers] | None = None  # where the calls of a function may be
        self._tree: tuple[str, tuple[str, ...]] | None = None
        self._trail: Trail | None = None
        self._hashes: dict[str, str | None] = {}
        self._stems: dict[str, tuple[str, str]] = {}  # a module path -> its absolute path, its stem
        self._folders: dict[str, str] = {}  # a module path -> the absolute path of its folder
        self._imports: dict[str, list[tuple[tuple[str, str, int], str | None]]] = {}  # what each module imports
        self.summaries = Summaries()  # shared by every module: a cycle of summaries may cross them

    def remember(self, sources: dict[str, bytes], unrelated: Iterable[str] = ()) -> None:
        """Bytes the run has already read (by absolute path), so that no module is read again,
        and the paths of the files it read that never mention Stripe (no caller is looked for there)."""
        self._sources.update(sources)
        self._unrelated.update(unrelated)

    def follow(self, path: str, record: bool = True) -> Trail | None:
        """Record, from now on, what the analysis of ``path`` consults (until the next call);
        without ``record``, nothing."""
        self._trail = Trail() if record else None
        if self._trail is not None:
            self._imports_on_trail(os.path.abspath(path))
        return self._trail

    def _consult(self, path: str) -> None:
        """Note that the analysis read ``path`` (absolute): its result depends on those bytes and,
        when the module is analysed, on every module it imports in turn (a summary kept from an
        earlier file's analysis may have read those without this one asking again)."""
        if self._trail is not None and path not in self._trail.reads:
            try:
                data: bytes | None = self._data(path)
            except OSError:
                data = None
            if path not in self._hashes:
                self._hashes[path] = content_hash(data) if data is not None else None
            self._trail.reads[path] = self._hashes[path]
            if data is not None and (path in self._forced or mentions_stripe(data)):  # a module that is analysed
                self._imports_on_trail(path)

    def _imports_on_trail(self, path: str) -> None:
        """Put the project modules that ``path`` imports (and theirs) on the trail."""
        assert self._trail is not None
        if path not in self._imports:
            try:
                data = self._data(path)
            except OSError:
                data = b""
            folder = os.path.dirname(path)
            self._imports[path] = [(key, self.find(path, *key[1:])) for key in
                                   ((folder, module, level) for module, level in imported_modules(data))]
        for key, found in self._imports[path]:
            self._trail.finds[key] = found
            if found is not None:
                self._consult(found)

    def know_run(self, paths: list[str], tree: tuple[str, tuple[str, ...]] | None = None) -> None:
        """Every file of the run (not only those this process checks), where calls are looked for;
        ``tree``: the folder (and its excludes) a run of single files belongs to."""
        if paths != self._run or tree != self._tree:
            self._run, self._tree, self._callers_found = paths, tree, None

    def naming(self, name: str, importer: Provenance) -> list[Provenance]:
        """The modules of the run that mention Stripe and call something named ``name``, other than
        ``importer``: where the calls of a function of ``importer`` may be."""
        if importer.path is None:
            return []
        me, stem = self._named_as(importer.path)  # a module that calls it from elsewhere imports it, so names it
        if self._trail is not None:
            self._trail.callers.add((name, stem))
        parts = self._callers()  # each file is in one of them
        if stem.isascii() and stem.isidentifier():
            paths = [path for part in parts for path in part.naming.get(stem, ()) if path in part.calls.get(name, ())]
        else:
            paths = [path for part in parts for path in part.calls.get(name, ()) if os.fsencode(stem) in self._data(path)]
        found = (self.load(path) for path in sorted(paths) if path != me)
        return [module for module in found if module is not None]

    def _named_as(self, path: str) -> tuple[str, str]:
        """A module's absolute path, and the stem it is imported by (asked for each of its functions)."""
        found = self._stems.get(path)
        if found is None:
            me = os.path.abspath(path)
            found = self._stems[path] = (me, module_stem(me))
        return found

    def know_callers(self, parts: Sequence[Callers]) -> None:
        """Where the calls of a function may be, found already for this run by the workers that
        read its files (then none reads them all again): each of their indexes holds its own
        files, and none is merged into another (only a few functions are ever looked up)."""
        self._callers_found = parts

    def _callers(self) -> Sequence[Callers]:
        """Where the calls of a function may be (found once, when the first caller is looked for)."""
        if self._callers_found is None:
            project = self._project_files()
            index = Callers(frozenset(module_stem(path) for path in project))
            self._callers_found = (index,)
            for path in project:
                if path in self._unrelated:
                    continue
                try:
                    data = self._data(path)
                except OSError:
                    continue
                if path not in self._sources:
                    if not mentions_stripe(data):
                        continue
                    self._sources[path] = data
                index.add(path, data)
        return self._callers_found

    def _project_files(self) -> list[str]:
        """The Python files of the run and, when it names single files (a pre-commit hook), of the
        tree they belong to: such a run sees the same callers as one over the whole tree."""
        files = {os.path.abspath(path) for path in self._run if path.endswith(".py")}
        if self._tree is not None:
            from ..discover import discover

            try:
                files.update(os.path.abspath(path) for path in discover([self._tree[0]], self._tree[1]) if path.endswith(".py"))
            except Exception:  # a tree that cannot be listed adds nothing
                pass
        return sorted(files)

    def may_declare_relations(self, importer: str, imported: Imported) -> bool:
        """Whether the module an import names (or the package module it imports from) has a
        relation field in its text, before it is parsed."""
        paths = [self.find(importer, imported.module, imported.level)]  # None outside the project
        if imported.name is not None:
            paths.append(self.find(importer, f"{imported.module}.{imported.name}" if imported.module else imported.name, imported.level))
        for path in paths:
            if path is None:
                continue
            self._consult(path)
            try:
                data = self._data(path)
            except OSError:
                continue
            if b"Field(" in data or b"ForeignKey(" in data:
                return True
        return False

    def date_constant(self, path: str, name: str) -> tuple[str, str] | None:
        """``NAME = "2019-08-14"`` at the top level of a module: the date, and where it is written."""
        self._consult(os.path.abspath(path))
        try:
            data = self._data(os.path.abspath(path))
        except OSError:
            return None
        pattern = rb"^" + re.escape(name.encode()) + rb"[ \t]*(?::[^=\n]*)?=[ \t]*[rbuRBU]?([\"'])(\d{4}-\d\d-\d\d[^\"'\n]*)\1[ \t]*(?:#.*)?$"
        found = list(re.finditer(pattern, data, re.M))
        if len(found) != 1:  # bound twice (or never): not a constant
            return None
        line = data.count(b"\n", 0, found[0].start()) + 1
        return found[0].group(2).decode("ascii", "replace"), f"{display_path(path)} line {line}"

    def settings_constant(self, name: str) -> tuple[str, str] | None:
        """The oldest date that the project's Django settings modules give ``name``."""
        if self._trail is not None:
            self._trail.settings = True
        found = [self.date_constant(path, name) for path in self._run if path.endswith(".py") and is_settings(path)]
        dated = sorted(f for f in found if f is not None)
        return dated[0] if dated else None

    def _data(self, path: str) -> bytes:
        """A file's bytes (absolute path), read once per run (``OSError`` when it cannot be read)."""
        data = self._sources.get(path)
        if data is None:
            data = self._silent.get(path)
        return data if data is not None else read(path).data

    def parse(self, path: str, data: bytes) -> Tree:
        """Parse a file once per run, whether it is checked or imported first (``FileError`` on
        bad input)."""
        key = os.path.abspath(path)
        tree = self._parsed.get(key)
        if tree is None or self._sources.get(key) != data:
            tree = parse_tree(data, self.quick)
            self._parsed[key] = tree
            self._sources[key] = data
        return tree

    def release(self, path: str, checked: Provenance | None) -> None:
        """Forget a checked module's summaries, and its tree unless another module's analysis
        holds it: trees are large, and a run keeps only those it consults (a later import
        parses it again). Memory follows the largest module, not the project."""
        if checked is not None:
            self.summaries.forget(checked)
        key = os.path.abspath(path)
        if self._modules.get(key) is None:
            self._parsed.pop(key, None)

    def lookup(self, importer: str, module: str, name: str | None, level: int) -> Fact | None:
        """What ``from <module> import <name>`` (or ``import <module>``) binds in ``importer``."""
        path = self.find(importer, module, level)
        owner = self.load(path) if path else None
        if owner is not None:
            if name is None:
                return ProjectModule(owner, f"module {owner.label}")
            found = owner.globals.lookup(name)
            if found is not None:
                return owner.resolve(found)
        if name is not None:  # `from package import module`
            submodule = self.find(importer, f"{module}.{name}" if module else name, level)
            loaded = self.load(submodule) if submodule else None
            if loaded is not None:
                return ProjectModule(loaded, f"module {loaded.label}")
            if submodule in self._silent:
                path = submodule
        if path in self._silent:
            if name is not None and _top_level(self._silent[path], name) is not None:
                # a function may return what it gets from a module that does mention Stripe; a class
                # may hold it (the calls that make one are its __init__'s)
                owner = self._analysed(path)
                found = owner.globals.lookup(name) if owner is not None else None
                if found is not None:
                    return owner.resolve(found)  # type: ignore[union-attr]
            return _silent_name(path, self._silent[path], name)
        return None

    def fixture(self, importer: str, name: str) -> Fact | None:
        """``name`` as a ``conftest.py`` in the importer's folder or above defines it (pytest's lookup)."""
        for folder in ancestors(os.path.dirname(os.path.abspath(importer))):
            conftest = os.path.join(folder, "conftest.py")
            self._consult(conftest)
            loaded = self.load(conftest) if os.path.isfile(conftest) and conftest != os.path.abspath(importer) else None
            found = loaded.globals.lookup(name) if loaded is not None else None
            if found is not None:
                return found
        return None

    def submodule(self, package: Provenance, name: str) -> Fact | None:
        if package.path is None or os.path.basename(package.path) != "__init__.py":
            return None
        path = self.find(package.path, name, 1)
        loaded = self.load(path) if path else None
        return ProjectModule(loaded, f"module {loaded.label}") if loaded else None

    def find(self, importer: str, module: str, level: int) -> str | None:
        folder = self._folders.get(importer)
        if folder is None:  # asked for every import and every imported name a module resolves
            folder = self._folders[importer] = os.path.dirname(os.path.abspath(importer))
        key = (folder, module, level)
        if key not in self._found:
            self._found[key] = find_module(folder, module, level)
        if self._trail is not None:
            self._trail.finds[key] = self._found[key]
        return self._found[key]

    def load(self, path: str) -> Provenance | None:
        self._consult(path)
        if path not in self._modules:
            self._modules[path] = None  # an import cycle sees nothing, not a loop
            self._modules[path] = self._load(path)
        return self._modules[path]

    def _analysed(self, path: str) -> Provenance | None:
        """A module that never mentions Stripe, analysed all the same (once) for a function of it
        that a candidate calls."""
        if path not in self._forced:
            self._forced[path] = self._load(path, silent=False)
        self._consult(path)
        if self._trail is not None:  # analysed now: what it imports counts too
            self._imports_on_trail(path)
        return self._forced[path]

    def _load(self, path: str, silent: bool = True) -> Provenance | None:
        try:
            data = self._data(path)
            if silent and not mentions_stripe(data):
                self._silent[path] = data
                return None
            tree = self.parse(path, data)
        except Exception:  # an unreadable or broken module tells us nothing: it stays unknown
            return None
        module = tree.module
        text = data.decode(module.encoding, "replace")
        lines = _definition_lines(text)
        prov = Provenance(module, lambda node: _line_of_definition(lines, node), project=self, path=path,
                          label=display_path(path), text=text, read=tree.read)
        prov.prepare()
        return prov


def _silent_name(path: str, data: bytes, name: str | None) -> Fact:
    """A name from a module that never mentions Stripe: its classes are the project's own."""
    label = display_path(path)
    if name is not None and _top_level(data, name) == "class":
        return Foreign(f"{name} is a class of {label}, which never mentions Stripe")
    return Unknown(f"{name or label} comes from {label}, which never mentions Stripe")


def _top_level(data: bytes, name: str) -> str | None:
    """``"def"`` or ``"class"``: what a module's source defines ``name`` as at its top level, if either."""
    found = re.search(rb"^(?:async[ \t]+)?(def|class)[ \t]+" + re.escape(name.encode()) + rb"\b", data, re.M)
    return found.group(1).decode() if found else None


_DEFINITION = re.compile(r"^[ \t]*(?:async[ \t]+)?(def|class)[ \t]+(\w+)", re.M)


def _definition_lines(text: str) -> dict[tuple[str, str], int]:
    """``(keyword, name) -> line`` of the first ``def``/``class`` of each name.

    Positions of a whole imported module would cost a code generation pass over it; the
    evidence only ever names the functions and classes it comes from.
    """
    lines: dict[tuple[str, str], int] = {}
    line, seen = 1, 0
    for match in _DEFINITION.finditer(text):
        line += text.count("\n", seen, match.start())
        seen = match.start()
        lines.setdefault((match.group(1), match.group(2)), line)
    return lines


def _line_of_definition(lines: dict[tuple[str, str], int], node: cst.CSTNode) -> int:
    if isinstance(node, cst.FunctionDef):
        return lines.get(("def", node.name.value), 0)
    if isinstance(node, cst.ClassDef):
        return lines.get(("class", node.name.value), 0)
    return 0
