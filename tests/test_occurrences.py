"""A module that never mentions Stripe and whose tokens leave no room for a site is not analysed:
its result (the record of each occurrence) is the analysis's, found without LibCST."""
from __future__ import annotations

import libcst
import pytest

from codemod import engine
from codemod.findings import KEPT
from codemod.occurrences import may_hold_sites
from codemod.options import Options

from .helpers import fix

WORDS = frozenset({"account_balance", "start"})

SITES = [
    "c.account_balance\n",
    "x = (c\n     .account_balance)\n",
    "@app.start\ndef f(): pass\n",
    'c["account_balance"]\n',
    'c.get("account_balance", 0)\n',
    'getattr(c, "account_balance")\n',
    "f(account_balance=1)\n",
    "f(\n    start\n    = 1)\n",
    '{"account_balance": 1}\n',
    '"account_balance" in c\n',
    'for key in ("account_balance", "email"):\n    out[key] = c[key]\n',
    'f"{c.account_balance}"\n',
    'body = "email=a&account_balance=0"\n',
    "body = '{\"account_balance\": 0}'\n",
    'c["account\\x5fbalance"]\n',
]
NO_SITES = [
    '"""The account_balance of a ledger; start with a subscription."""\n',
    "# c.account_balance is the customer's\n",
    "def start(self, account_balance):\n    return account_balance\n",
    "start = 1\naccount_balance: int = 0\n",
    "worker.start()\nthread.start (timeout)\n",
    "import account_balance\n",
    'log("start of the account_balance report")\n',
    'key = b"account_balance"\n',
    'body = "start=1"\n',  # a word with a context is never a request body's
]


@pytest.mark.parametrize("source", SITES)
def test_each_kind_of_site_leaves_room_for_one(source: str) -> None:
    assert may_hold_sites(source, WORDS)


@pytest.mark.parametrize("source", NO_SITES)
def test_names_docstrings_comments_and_method_calls_leave_none(source: str) -> None:
    assert not may_hold_sites(source, WORDS)


QUIET = b'''"""Runs the account_balance report; start it with a subscription id."""
import threading


def account_balance(ledger):  # the ledger's own
    return sum(ledger)


def run(subscription):
    worker = threading.Thread(target=account_balance, args=(subscription,))
    worker.start()
    return worker
'''


def test_such_a_module_is_not_parsed_and_says_what_the_analysis_says(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "_without_sites", lambda *args: None)
    analysed = fix(QUIET)
    monkeypatch.undo()
    monkeypatch.setattr(libcst, "parse_module", lambda *args: pytest.fail("parsed"))
    quiet = fix(QUIET)
    assert quiet == analysed
    assert quiet.output == QUIET and quiet.error is None
    assert [(f.line, f.col, f.code, f.status) for f in quiet.findings] == [
        (5, 5, "SB001", KEPT), (10, 38, "SB001", KEPT), (11, 12, "SB004", KEPT),
    ]


@pytest.mark.parametrize("source", [
    QUIET + b"\n\ndef owed(customer):\n    return customer.account_balance\n",  # a site
    QUIET.replace(b"threading", b"stripe"),  # Stripe-using code: its SDK uses count too
    QUIET + b"\n\nAPI_VERSION = api_version = '2019-08-14'\n",  # a pin may count
    b"# -*- coding: latin-1 -*-\n" + QUIET,  # decoded as Python reads it
    QUIET + b"\n\ndef broken(:\n",  # the analysis reports the error
])
def test_anything_else_is_analysed(source: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = []
    real = libcst.parse_module
    monkeypatch.setattr(libcst, "parse_module", lambda data: parsed.append(1) or real(data))
    fix(source)
    assert parsed or b"broken" in source
    assert engine._without_sites("x.py", source, Options(), "x.py") is None


STRIPE = b'''"""Reads each customer's account_balance."""
import stripe


def owed(cid):
    return stripe.Customer.retrieve(cid).account_balance  # the account_balance, in cents
'''


def test_a_module_whose_words_are_all_sites_or_prose_is_not_tokenized(monkeypatch: pytest.MonkeyPatch) -> None:
    from codemod import analysis

    monkeypatch.setattr(analysis, "word_tokens", lambda *args: pytest.fail("tokenized"))
    assert [(f.line, f.status) for f in fix(STRIPE).findings] == [(6, "fixable")]


@pytest.mark.parametrize("extra, col", [
    (b"account_balance = 0\n", 1),  # a name
    (b'key = "account\\x5fbalance"\n', 8),  # a string that spells it with an escape
])
def test_a_name_or_a_string_of_the_word_is_recorded(extra: bytes, col: int) -> None:
    found = [(f.line, f.col, f.status) for f in fix(STRIPE + extra).findings]
    assert found == [(6, 42, "fixable"), (7, col, KEPT)]
