"""``records.replace`` is ``dataclasses.replace`` for the project's records, without its cost."""
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
