"""Every fixture: the exact expected output (or none at all), parsing, and idempotence.

``fixtures/<group>/<case>.py`` is an input. Beside it, ``<case>.expected.py`` is the exact
expected output; without it the file must come back unchanged. ``<case>.findings`` lists
the exact findings (``line:col CODE status``) where the case is about them.
"""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import libcst
import pytest

from codemod.analysis import Analysis
from codemod.catalog import CHANGES, SDK_CHANGES, WORDS
from codemod.findings import FIXABLE, KEPT, REVIEW
from codemod.prefilter import words_in
from codemod.occurrences import word_tokens
from codemod.options import Options

from .helpers import FIXTURES, fix, only_renames, parses

CASES = sorted(p for p in FIXTURES.glob("*/*.py") if not p.name.endswith(".expected.py"))


def _expected(case: Path) -> bytes:
    expected = case.with_name(case.stem + ".expected.py")
    return expected.read_bytes() if expected.exists() else case.read_bytes()


# fixtures/sb002 is about the unsafe conversion: it runs with --unsafe-fixes. The fixtures of
# the API changes aim at an SDK from before any SDK-surface change (SB2xx), so that each shows
# its own change; fixtures/sb2xx and fixtures/noop run with every rule.
API_ONLY = Options(target_sdk=(6, 0))
OPTIONS = {"sb002": Options(unsafe_fixes=True, currency="usd", target_sdk=(6, 0))}


def options_of(case: Path) -> Options:
    group = case.parent.name
    return OPTIONS.get(group, Options() if group.startswith("sb2") or group in ("noop", "bytes") else API_ONLY)


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_fixture(case: Path) -> None:
    options = options_of(case)
    source = case.read_bytes()
    result = fix(source, options)
    assert result.error is None
    assert result.output == _expected(case)
    assert parses(result.output)
    if not options.unsafe_fixes and not case.parent.name.startswith("sb2"):
        assert only_renames(source, result.output)
    again = fix(result.output, options)
    assert again.output == result.output, "a second run must change nothing"
    assert not any(f.status == FIXABLE for f in again.findings)

    listed = case.with_name(case.stem + ".findings")
    decided = [f for f in result.findings if f.status != KEPT]  # the proofs of the kept sites are tested below
    if listed.exists():
        got = "".join(f"{f.line}:{f.col} {f.code} {f.status}\n" for f in decided)
        assert got == listed.read_text()
    elif case.parent.name == "noop":
        assert decided == []
    else:
        assert not [f for f in result.findings if f.status == REVIEW and f.code == "SB900"]


@pytest.mark.parametrize("case", [c for c in CASES if c.parent.name == "sb002"], ids=lambda p: p.stem)
def test_conversions_need_unsafe_fixes(case: Path) -> None:
    """Without --unsafe-fixes a conversion is only reported: the output is renames alone."""
    source = case.read_bytes()
    result = fix(source)
    assert only_renames(source, result.output)
    assert all(f.status == REVIEW for f in result.findings if f.code == "SB002")


def test_every_group_has_cases() -> None:
    groups = {case.parent.name for case in CASES}
    assert {"sb001", "noop", "sb900", "bytes"} <= groups
    # every catalog entry has fixtures of its own, or shares its entry's folder (SB006 with SB005)
    named = {code for case in CASES if case.with_suffix(".findings").exists()
             for code in re.findall(r"SB\d{3}", case.with_suffix(".findings").read_text())}
    assert {change.code for change in (*CHANGES, *SDK_CHANGES)} <= {group.upper() for group in groups} | named


def test_fixed_output_is_what_each_finding_says() -> None:
    """Each SB001 finding points at the token it renames, in the input's coordinates."""
    for case in CASES:
        source = case.read_bytes()
        result = fix(source, options_of(case))
        lines = source.decode(result.encoding).split("\n")
        for finding in result.findings:
            line = lines[finding.line - 1]
            pointed = line[finding.col - 1 : finding.end_col - 1]
            if finding.code.startswith("SB2"):
                continue  # an SDK-surface finding points at the whole expression it rewrites
            if finding.code == "SB100":
                assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", pointed), (case, finding)
            else:
                assert pointed in WORDS, (case, finding)


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_no_site_is_left_without_a_decision(case: Path) -> None:
    """In Stripe-using code every occurrence of a catalog word (a site, a name, a string) is fixed,
    reviewed, or kept with its proof: nothing is decided silently."""
    source = case.read_bytes()
    result = fix(source, dataclasses.replace(options_of(case), unsafe_fixes=False))
    if result.error is not None:
        return
    analysis = Analysis(libcst.parse_module(source), text=source.decode(result.encoding))
    if analysis.stripe_evidence is None:
        assert all(f.status == KEPT for f in result.findings)
    spans = {(f.line, f.col): f for f in result.findings}
    for checked in analysis.sites:
        found = spans.get(analysis.site_span(checked.site)[:2])
        assert found is not None, (case, checked.site.word, analysis.line(checked.site.token))
        assert found.why, (case, found)
    for word, line, col, _ in word_tokens(analysis.text, words_in(source)):  # names and strings too
        assert (line, col) in spans, (case, word, line, col)
    kept = [f for f in result.findings if f.status == KEPT]
    assert all(f.message.startswith("not a Stripe") and f.message.endswith("left as it is") for f in kept)
