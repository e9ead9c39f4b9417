"""LibCST's dataclass methods are compiled once, kept, and give the very classes compiling does."""
from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from codemod import compiled_methods

NODES = textwrap.dedent('''\
    import dataclasses
    from typing import Optional, Sequence

    @dataclasses.dataclass(frozen=True)
    class Name:
        value: str
        lpar: Sequence[str] = ()
        default: Optional[int] = dataclasses.field(default=None, repr=False, compare=False)

        def shown(self) -> str:
            return self.value.upper()
''')


def load(path: str | None, compiles: list[str], monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """The module above, run within ``compiled_methods(path)``; ``compiles`` gets each text compiled."""
    def counted(source: str, *args: object, **kwargs: object) -> object:
        compiles.append(source)
        return compile(source, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(compiled_methods, "compile", counted, raising=False)
    namespace: dict[str, object] = {"__name__": "nodes"}
    with compiled_methods.compiled_methods(path):
        exec(compile(NODES, "nodes.py", "exec", dont_inherit=True), namespace)  # noqa: S102
    return namespace


def check_class(namespace: dict[str, object]) -> None:
    name = namespace["Name"]
    first, second = name("a"), name("a", default=3)  # type: ignore[operator]
    assert first == second and hash(first) == hash(second)
    assert repr(first) == "Name(value='a', lpar=())"
    assert first.shown() == "A"
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.value = "b"
    # the annotations are the objects, not strings: not compiled with this module's __future__ flags
    assert name.__init__.__annotations__["value"] is str  # type: ignore[misc]


def test_methods_are_compiled_the_first_time_and_read_after(tmp_path, monkeypatch):
    path = str(tmp_path / "cache" / "methods.bin")
    compiles: list[str] = []
    check_class(load(path, compiles, monkeypatch))
    assert compiles and all("def __create_fn__" in text for text in compiles)
    assert os.path.isfile(path) and os.listdir(tmp_path / "cache") == ["methods.bin"]  # no partial file left
    written = os.path.getmtime(path)

    again: list[str] = []
    check_class(load(path, again, monkeypatch))
    assert again == []
    assert os.path.getmtime(path) == written  # nothing new: not written again


def test_without_a_file_every_text_is_compiled(monkeypatch):
    compiles: list[str] = []
    check_class(load(None, compiles, monkeypatch))
    assert compiles
    import dataclasses as module

    assert "exec" not in vars(module)  # the builtin again, once out


@pytest.mark.parametrize("content", [b"", b"garbage", compiled_methods._HEADER + b"\n\xff\x00", b"stripe-codemod methods, Python 2.7\n{}"])
def test_a_broken_or_foreign_file_is_compiled_again_and_replaced(tmp_path, monkeypatch, content):
    path = tmp_path / "methods.bin"
    path.write_bytes(content)
    compiles: list[str] = []
    check_class(load(str(path), compiles, monkeypatch))
    assert compiles
    assert path.read_bytes().startswith(compiled_methods._HEADER + b"\n")
    again: list[str] = []
    check_class(load(str(path), again, monkeypatch))
    assert again == []


def test_a_file_that_cannot_be_written_is_no_error(tmp_path, monkeypatch):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the folder would be")
    compiles: list[str] = []
    check_class(load(str(blocker / "methods.bin"), compiles, monkeypatch))
    assert compiles and os.listdir(tmp_path) == ["blocker"]


def test_libcst_and_this_tool_load_through_it_in_a_fresh_interpreter():
    paths = [compiled_methods.path_for(module) for module in ("codemod.cli", "libcst")]
    assert None not in paths
    if not os.access(os.path.dirname(os.path.dirname(paths[0])), os.W_OK):
        pytest.skip("this install cannot be written to")
    program = textwrap.dedent('''\
        import sys
        assert "dataclasses" not in sys.modules
        import codemod.cli  # which imports dataclasses first: patched as soon as it is made
        import libcst, dataclasses
        assert "exec" not in vars(dataclasses)
        assert type(libcst.__loader__).__name__ == "SourceFileLoader", libcst.__loader__
        node = libcst.parse_expression("customer.balance")
        assert node.deep_equals(libcst.Attribute(libcst.Name("customer"), libcst.Name("balance"))), node
        print(sorted(libcst.Name.__init__.__annotations__))
    ''')
    this_codemod = {**os.environ, "PYTHONPATH": str(Path(compiled_methods.__file__).parents[1])}
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True, env=this_codemod)
    assert done.stdout == "['lpar', 'return', 'rpar', 'value']\n"
    assert all(os.path.isfile(path) for path in paths)
    reused = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True, env=this_codemod)
    assert reused.stdout == done.stdout
