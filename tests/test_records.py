"""``records``: making and copying the project's records as ``dataclasses`` does, without its cost."""
from __future__ import annotations

import dataclasses

import pytest

from codemod import records
from codemod.engine import FileResult
from codemod.findings import Edit, Finding
from codemod.options import Options
from codemod.provenance.facts import StripeData

FINDING = Finding("SB001", 3, 5, 3, 20, "message", "why", "certain", True, (Edit((3, 4), (3, 19), "a", "b"),))


@pytest.mark.parametrize(("record", "changes"), [
    (FINDING, {"status": "review"}),
    (FINDING, {"why": "other", "edits": ()}),
    (FileResult("a.py", b"x", b"y", findings=(FINDING,)), {"trail": None, "error": "cannot read"}),
    (StripeData("Customer", "why", many=True), {"why": "another", "form": "object"}),
    (Options(), {"paths": (".",)}),
])
def test_the_copy_is_the_one_dataclasses_makes(record: object, changes: dict[str, object]) -> None:
    before = dataclasses.astuple(record)  # type: ignore[call-overload]
    copy = records.replace(record, **changes)
    assert copy == dataclasses.replace(record, **changes)  # type: ignore[type-var]
    assert type(copy) is type(record) and hash(copy) == hash(dataclasses.replace(record, **changes))  # type: ignore[type-var]
    assert dataclasses.astuple(record) == before  # type: ignore[call-overload]
    with pytest.raises(dataclasses.FrozenInstanceError):
        copy.why = "changed"  # type: ignore[attr-defined]


def test_a_field_the_record_does_not_have_is_refused() -> None:
    with pytest.raises(TypeError, match="no field"):
        records.replace(FINDING, stauts="review")


def _both() -> tuple[type, type]:
    """The same record twice: as ``dataclasses`` makes it, and with ``fast_init``."""
    def record() -> type:
        @dataclasses.dataclass(frozen=True)
        class Record:
            name: str
            count: int = 2
            tags: list[str] = dataclasses.field(default_factory=list)
            seen: tuple[str, ...] = dataclasses.field(default=(), compare=False)
            total: int = dataclasses.field(default=0, init=False)
            marks: list[int] = dataclasses.field(default_factory=lambda: [1], init=False)
        return Record
    return record(), records.fast_init(record())


@pytest.mark.parametrize(("args", "kwargs"), [
    (("a",), {}),
    (("a", 5), {"seen": ("x",)}),
    ((), {"name": "b", "tags": ["t"]}),
    (("a", 1, ["u"], ("v",)), {}),
])
def test_fast_init_makes_the_record_dataclasses_makes(args: tuple[object, ...], kwargs: dict[str, object]) -> None:
    plain, fast = _both()
    made, expected = fast(*args, **kwargs), plain(*args, **kwargs)
    assert vars(made) == vars(expected) and repr(made).endswith(repr(expected).partition(".Record")[2])
    if len(args) < 3 and "tags" not in kwargs:
        assert made.tags is not fast(*args, **kwargs).tags  # a new list from the factory each time
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.name = "changed"


def test_fast_init_refuses_what_the_dataclass_refuses_and_records_it_cannot_make() -> None:
    _, fast = _both()
    with pytest.raises(TypeError):
        fast()
    with pytest.raises(TypeError):
        fast("a", total=3)

    @dataclasses.dataclass(frozen=True)
    class Checked:
        name: str

        def __post_init__(self) -> None:
            pass

    with pytest.raises(TypeError, match="__post_init__"):
        records.fast_init(Checked)


def test_the_project_records_made_fast_are_made_as_dataclasses_makes_them() -> None:
    assert set(vars(FINDING)) == {field.name for field in dataclasses.fields(Finding)} and FINDING.edits[0].new == "b"
    assert vars(StripeData("Customer", "why")) == {"kind": "Customer", "why": "why", "many": False, "literal": None,
                                                  "origin": None, "among": None, "form": ""}
    assert StripeData.__init__.__qualname__ == "StripeData.__init__"
