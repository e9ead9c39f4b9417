"""The catalog: its documented examples migrate as documented, and the pre-filter follows it."""
from __future__ import annotations

import pytest

from codemod.catalog import CHANGES, RENAME, Change
from codemod.findings import FIXABLE, REVIEW
from codemod.prefilter import words_in, worth_parsing
from codemod.provenance.stripe_sdk import event_object
from codemod.registry import CODES, INFO

from .helpers import fix


@pytest.mark.parametrize("change", CHANGES, ids=lambda c: c.code)
def test_documented_example_becomes_use_instead(change: Change) -> None:
    source = ("import stripe\n\n" + change.example).encode()
    result = fix(source)
    assert result.output == ("import stripe\n\n" + change.use_instead).encode()
    statuses = {f.status for f in result.findings if f.code == change.code}
    assert statuses == ({FIXABLE} if change.action == RENAME else {REVIEW})
    assert "## Fix safety" in INFO[change.code].doc and change.code in CODES


def test_codes_are_unique_and_in_their_ranges() -> None:
    codes = [change.code for change in CHANGES]
    assert len(codes) == len(set(codes)) and all("SB001" <= code <= "SB099" for code in codes)
    assert len({change.old for change in CHANGES}) == len(CHANGES)


def test_only_whole_words_are_candidates() -> None:
    assert not worth_parsing(b"code = 'financial_account_balance_does_not_support_currency'\n", pins=False)
    assert not worth_parsing(b"import stripe\nx = invoice.billing_reason\n", pins=False)
    assert worth_parsing(b"owed = customer.account_balance\n", pins=False)


def test_common_words_need_their_context() -> None:
    assert words_in(b"import stripe\nworker.start()\n") == frozenset()
    assert words_in(b"import stripe\nsub = stripe.Subscription.retrieve(i)\nsub.start\n") == {"start"}
    assert words_in(b"invoice.due_date, s.renewal_behavior") == {"due_date", "renewal_behavior"}
    assert words_in(b"SUBSCRIPTION_ID = 1\nx.start\n") == {"start"}  # as code spells a context word
    assert words_in(b"# SubScription\nx.start\n") == frozenset()  # not as code spells it


def test_pin_words_count_only_next_to_a_date() -> None:
    assert not worth_parsing(b"import stripe\nprint(stripe.api_version)\n")
    assert worth_parsing(b'import stripe\nstripe.api_version = "2019-08-14"\n')
    assert worth_parsing(b'import stripe\nc = stripe.StripeClient("k", stripe_version="2019-08-14")\n')
    assert worth_parsing(b'import stripe\nheaders = {"Stripe-Version": "2019-08-14"}\n')
    assert worth_parsing(b'import stripe\nheaders = {"stripe-version": "2019-08-14"}\n')  # a header, in any case
    assert worth_parsing(b'import stripe\nheaders = {"STRIPE-VERSION": "2019-08-14"}\n')
    assert worth_parsing(b'import stripe\nheaders = {"Stripe-version": "2019-08-14"}\n')
    assert worth_parsing(b'import stripe\noptions = {"STRIPE_VERSION": "2019-08-14"}\n')
    assert not worth_parsing(b'import stripe\nparser.add_argument("--version", default="1.0")\n')
    assert not worth_parsing(b'stripe_version = "2019-08-14"\n'.replace(b"stripe", b"ledger"))


@pytest.mark.parametrize("event_type, kind", [
    ("customer.updated", "Customer"),
    ("customer.subscription.updated", "Subscription"),
    ("customer.tax_id.created", "TaxId"),
    ("charge.dispute.created", "Dispute"),
    ("checkout.session.completed", "Session"),
    ("issuing_cardholder.updated", "Cardholder"),
    ("tax_rate.created", "TaxRate"),
    ("invoiceitem.created", "InvoiceItem"),
    ("ledger.updated", None),  # names no class of the SDK: not a Stripe event
    ("updated", None),
])
def test_an_event_type_names_the_class_of_its_object(event_type: str, kind: str | None) -> None:
    assert event_object(event_type) == kind
