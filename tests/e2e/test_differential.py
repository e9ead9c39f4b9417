"""Differential proof of SB002: generated read-modify-write programs, run before and after.

Each generated program creates a customer and then reads it, changes its balance (``+=``,
``-=``, ``= c.old ± d``, ``modify(cid, old=c.old ± d)``, ``client[.v1].customers.update``),
writes other fields and metadata, and saves, in any order. The original runs against the local fake Stripe API at an API
version before 2019-10-17; the program migrated with ``--unsafe-fixes`` runs at the SDK's
own version. The final state of every object (every field, metadata included) must be the
same, and the migrated run may add the balance only through balance transactions that sum
to the same change. A program the rule refuses to convert is still renamed and must behave
the same. ``DIFFERENTIAL_EXAMPLES`` raises the number of programs (300 by default).
"""
from __future__ import annotations

import os
import warnings
from typing import Iterator

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from codemod.engine import check_source
from codemod.options import Options

from .fake_stripe import FakeStripe

stripe = pytest.importorskip("stripe")

OLD_VERSION = "2019-08-14"
EXAMPLES = int(os.environ.get("DIFFERENTIAL_EXAMPLES", "300"))
OPTIONS = Options(unsafe_fixes=True, currency="usd")


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeStripe]:
    server = FakeStripe().start()
    yield server
    server.stop()


amounts = st.integers(min_value=1, max_value=500)
balance_steps = st.one_of(
    amounts.map(lambda d: f"cu.account_balance += {d}"),
    amounts.map(lambda d: f"cu.account_balance -= {d}"),
    amounts.map(lambda d: f"cu.account_balance = cu.account_balance + {d}"),
    amounts.map(lambda d: f"cu.account_balance = cu.account_balance - {d}"),
    amounts.map(lambda d: f"stripe.Customer.modify(c.id, account_balance=cu.account_balance - {d})"),
    amounts.map(lambda d: f'stripe.Customer.modify(c.id, email="m{d}@example.com", account_balance=cu.account_balance + {d})'),
    amounts.map(lambda d: f"stripe.Customer.modify(c.id, account_balance={d})"),
    amounts.map(lambda d: f'client.customers.update(c.id, {{"account_balance": cu.account_balance + {d}}})'),
    amounts.map(lambda d: f'client.v1.customers.update(c.id, {{"email": "u{d}@example.com", "account_balance": cu.account_balance - {d}}})'),
)
other_steps = st.one_of(
    st.just("cu = stripe.Customer.retrieve(c.id)"),
    amounts.map(lambda d: f'cu.metadata["k{d}"] = "v{d}"'),
    amounts.map(lambda d: f'cu.email = "e{d}@example.com"'),
    st.just("cu.save()"),
)


@st.composite
def bodies(draw: st.DrawFn) -> list[str]:
    """A few reads, writes of other fields and saves, with one or two balance writes among them."""
    body = draw(st.lists(other_steps, max_size=5))
    for _ in range(draw(st.integers(min_value=1, max_value=2))):
        body.insert(draw(st.integers(min_value=0, max_value=len(body))), draw(balance_steps))
    if draw(st.booleans()):
        body.append("cu.save()")
    return body


def program(body: list[str], opening: int) -> str:
    lines = "\n".join(f"    {line}" for line in body)
    return (
        "import stripe\n\n\n"
        "def run():\n"
        "    client = stripe.StripeClient(stripe.api_key, base_addresses={'api': stripe.api_base}, stripe_version=stripe.api_version)\n"
        f'    c = stripe.Customer.create(email="a@example.com", account_balance={opening})\n'
        "    cu = stripe.Customer.retrieve(c.id)\n"
        f"{lines}\n"
    )


def execute(source: str, fake: FakeStripe, version: str) -> None:
    fake.reset()
    stripe.api_key, stripe.api_base, stripe.api_version = "sk_test_differential", fake.url, version
    scope: dict[str, object] = {}
    with warnings.catch_warnings():  # the SDK marks save() deprecated
        warnings.simplefilter("ignore")
        exec(compile(source, "<generated>", "exec"), scope)
        scope["run"]()  # type: ignore[operator]


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=bodies(), opening=st.integers(min_value=-300, max_value=300))
def test_converted_programs_end_in_the_same_state(fake: FakeStripe, body: list[str], opening: int) -> None:
    original = program(body, opening)
    migrated = check_source("generated.py", original.encode(), OPTIONS)
    assert migrated.error is None
    new_source = migrated.output.decode()
    assert "account_balance" not in new_source
    sdk_version = stripe.api_version
    try:
        execute(original, fake, OLD_VERSION)
        before = fake.state()
        assert fake.transactions() == []
        execute(new_source, fake, sdk_version)
        after = fake.state()
        added = sum(amount for _, amount, _ in fake.transactions())
    finally:
        stripe.api_version = sdk_version
    assert after == before, f"{original}\n--- migrated ---\n{new_source}"
    converted = new_source.count("create_balance_transaction") + new_source.count("balance_transactions.create")
    assert len(fake.transactions()) == converted and (converted or added == 0)
    event(f"{converted} converted")
    writes = [step for step in body if "account_balance" in step and ("+" in step or "-" in step)]
    others = [step for step in body if "account_balance=" in step and step not in writes]
    if len(writes) == 1 and not others and _saved_after(body, writes[0]):
        assert converted == 1, f"a lone increment must convert:\n{original}\n--- migrated ---\n{new_source}"


def _saved_after(body: list[str], write: str) -> bool:
    """A lone ``modify(...)`` increment needs nothing more; ``cu.old += d`` needs a save after it,
    with ``cu`` not bound again in between."""
    if write.startswith(("stripe.Customer.modify", "client.")):
        return True
    after = body[body.index(write) + 1:]
    for step in after:
        if step.startswith("cu = "):
            return False
        if step == "cu.save()":
            return True
    return False
