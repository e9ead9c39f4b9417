"""Property-based tests: generated programs with `account_balance` all over them.

Properties, for every program: no crash; the output parses; a second run changes nothing;
in rename-only mode the output differs from the input only by `account_balance` ->
`balance`; and a program with no Stripe evidence at all is left exactly as it is.

The number of examples is bounded for CI; ``FUZZ_EXAMPLES=2000 pytest tests/test_fuzz.py``
runs more (see the README).
"""
from __future__ import annotations

import dataclasses

import os

import hypothesmith
import libcst as cst
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codemod.findings import KEPT
from codemod.options import Options

from .helpers import fix, only_renames, parses

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))

# (setup lines, receiver expression): values that are Stripe customers, and values that are not
STRIPE = [
    ("c = stripe.Customer.retrieve(cid)", "c"),
    ("c = stripe.Customer.create(email=e)", "c"),
    ("", "stripe.Customer.retrieve(cid)"),
    ("c = client.v1.customers.retrieve(cid)", "c"),
    ("event = stripe.Webhook.construct_event(p, s, k)", "event.data.object"),
    ("c = {'object': 'customer', 'account_balance': 0}", "c"),
    ("c = next(iter(stripe.Customer.list()))", "c"),
]
FOREIGN = [
    ("c = Ledger()", "c"),
    ("c = Wallet.objects.get(pk=1)", "c"),
    ("", "ledger"),
    ("c = load(cid)", "c"),
    ("c = {'account_balance': 0}", "c"),
    ("c = stripe.Balance.retrieve()", "c"),
]
ACCESSES = [
    "x = {r}.account_balance",
    "{r}.account_balance = 5",
    "{r}.account_balance += amount",
    "x = {r}['account_balance']",
    "x = {r}.get('account_balance', 0)",
    "x = getattr({r}, 'account_balance', None)",
    "x = 'account_balance' in {r}",
    "stripe.Customer.modify(cid, account_balance={r}.account_balance - 1)",
    "update(cid, account_balance=1)",
    "x = {{'account_balance': {r}}}",
    "account_balance = 1",
    "x = ['account_balance', 'financial_account_balance_x']",
    "# account_balance in a comment",
    "x = f'{{account_balance}}'",
]
HEADER = "import stripe\nfrom stripe import StripeClient\n\nclient = StripeClient('sk_test_x')\n\n\n"


@st.composite
def programs(draw: st.DrawFn, stripe_evidence: bool) -> str:
    receivers = STRIPE + FOREIGN if stripe_evidence else [r for r in FOREIGN if "stripe" not in r[0]]
    accesses = ACCESSES if stripe_evidence else [a for a in ACCESSES if "stripe" not in a]
    lines = []
    for _ in range(draw(st.integers(1, 8))):
        setup, receiver = draw(st.sampled_from(receivers))
        if setup:
            lines.append(setup)
        lines.append(draw(st.sampled_from(accesses)).format(r=receiver))
    header = HEADER if stripe_evidence else ""
    if draw(st.booleans()):  # at module level
        return header + "".join(f"{line}\n" for line in lines)
    return header + "def f(cid, e, p, s, k, amount, ledger):\n" + "".join(f"    {line}\n" for line in lines)


def check(source: str, options: Options | None = None) -> None:
    """The API changes are renames alone (aimed at an SDK before any SDK-surface change); with
    every rule, the output still parses and a second run changes nothing."""
    data = source.encode()
    api_only = dataclasses.replace(options or Options(), target_sdk=(6, 0))
    result = fix(data, api_only)
    if result.error is not None:  # only for code that does not compile
        assert "\n" not in result.error
        assert result.output == data
        return
    assert parses(result.output)
    assert only_renames(data, result.output)
    assert fix(result.output, api_only).output == result.output
    full = fix(data, options).output
    assert parses(full)
    assert fix(full, options).output == full


@SETTINGS
@given(programs(stripe_evidence=True))
def test_stripe_programs(source: str) -> None:
    check(source)


@SETTINGS
@given(programs(stripe_evidence=False))
def test_programs_without_stripe_are_left_alone(source: str) -> None:
    result = fix(source.encode())
    assert result.output == source.encode()
    assert all(f.status == KEPT for f in result.findings)  # kept, each with its proof


@SETTINGS
@given(hypothesmith.from_grammar(), st.sampled_from(["", "import stripe\n"]),
       st.sampled_from(["x.account_balance\n", "stripe.Customer.retrieve(c).account_balance\n",
                        "d = {'account_balance': 1}\n", "f(account_balance=1)\n"]))
def test_generated_grammar(source: str, header: str, line: str) -> None:
    program = header + source + ("\n" if source and not source.endswith("\n") else "") + line
    try:
        cst.parse_module(program)
    except Exception:
        return  # not a module LibCST reads: the file-level error path is tested elsewhere
    check(program)
