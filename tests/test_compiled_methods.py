"""LibCST's dataclass methods are compiled once, kept, and give the very classes compiling does."""
from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import textwrap

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


def test_libcst_loads_through_it_in_a_fresh_interpreter():
    path = compiled_methods.default_path()
    assert path is not None
    if not os.access(os.path.dirname(os.path.dirname(path)), os.W_OK):
        pytest.skip("this install cannot be written to")
    program = textwrap.dedent('''\
        import sys, codemod, libcst
        assert type(libcst.__loader__).__name__ == "SourceFileLoader", libcst.__loader__
        node = libcst.parse_expression("customer.balance")
        assert node.deep_equals(libcst.Attribute(libcst.Name("customer"), libcst.Name("balance"))), node
        print(sorted(libcst.Name.__init__.__annotations__))
    ''')
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert done.stdout == "['lpar', 'return', 'rpar', 'value']\n"
    assert os.path.isfile(path)
    reused = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert reused.stdout == done.stdout
