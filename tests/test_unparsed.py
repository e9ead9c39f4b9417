"""A Stripe-using file that does not parse: never changed, every site listed for review."""
from __future__ import annotations

from codemod.findings import KEPT, REVIEW
from codemod.options import Options
from codemod.unparsed import token_sites

from .helpers import fix

BROKEN = b"""import stripe

def f(cid):
    customer = stripe.Customer.retrieve(cid)
    row = {"account_balance": customer.account_balance}
    stripe.Customer.modify(cid, account_balance=0)
    account_balance = 1
    return json.dumps(row
"""


def test_token_sites_are_attributes_keywords_and_string_keys() -> None:
    words = frozenset({"account_balance", "billing"})
    assert list(token_sites(BROKEN, words)) == [
        ("account_balance", 5, 13, 28), ("account_balance", 5, 40, 55), ("account_balance", 6, 33, 48),
    ]
    assert list(token_sites(BROKEN.replace(b"account_balance=0", b"billing=0"), words))[2] == ("billing", 6, 33, 40)


def test_broken_file_is_reported_and_left_alone() -> None:
    result = fix(BROKEN)
    assert result.error is not None and result.error.startswith("syntax error at line")
    assert result.output == BROKEN
    assert [(f.line, f.col, f.code, f.status) for f in result.findings] == [
        (5, 13, "SB900", REVIEW), (5, 40, "SB900", REVIEW), (6, 33, "SB900", REVIEW),
    ]


def test_broken_file_without_stripe_has_only_the_error() -> None:
    result = fix(BROKEN.replace(b"stripe", b"ledger"))
    assert result.error is not None
    assert result.findings == ()


def test_sb900_can_be_ignored_for_broken_files() -> None:
    assert fix(BROKEN, Options(ignore=frozenset({"SB900"}))).findings == ()


def test_every_other_occurrence_of_a_word_is_listed_as_kept() -> None:
    """A name or string that is no site is listed as kept, even where the word occurs as often
    as it is a site (then only an escape in a string may spell it)."""
    assert _kept(SITE + b"account_balance = 0\n") == [(7, 1)]
    assert _kept(SITE + b'KEY = "account\\x5fbalance"\n') == [(7, 8)]
    assert _kept(SITE) == []


def _kept(source: bytes) -> list[tuple[int, int]]:
    return [(f.line, f.col) for f in fix(source).findings if f.status == KEPT]


SITE = b"import stripe\n\n\ndef owed(cid):\n    return stripe.Customer.retrieve(cid).account_balance\n\n"
