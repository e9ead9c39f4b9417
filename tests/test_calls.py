"""Which calls decide what a function's parameter is."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from codemod.cli import main
from codemod.engine import check_source
from codemod.options import CHECK, DIFF, Options


_SHOWN = "import stripe\n\n\ndef show(customer):\n    return customer.account_balance\n\n\n"


@pytest.mark.parametrize("caller, status", [
    ("def run(cid):\n    view = show\n    return view(stripe.Customer.retrieve(cid))\n", "fixable"),  # through an alias
    ("HANDLERS = {'customer.updated': show}\n\n\ndef on(event):\n    HANDLERS[event.type](event.data.object)\n", "review"),
    ("def run(cid):\n    return stripe.Customer.retrieve(cid)\n", "review"),  # the module never names show() again
    ("def run(cid):\n    return getattr(this, 'show')(stripe.Customer.retrieve(cid))\n", "review"),  # named in a string
    # called on each item of a Stripe list
    ("def run():\n    return list(map(show, stripe.Customer.list().auto_paging_iter()))\n", "fixable"),
    ("def run():\n    return sorted(stripe.Customer.list().data, key=show)\n", "fixable"),
    ("def run():\n    customers = stripe.Customer.list().data\n    customers.sort(key=show)\n", "fixable"),
    ("def run(rows):\n    return list(filter(show, rows))\n", "review"),  # items of unknown rows
    ("def map(f, rows):\n    return rows\n\n\ndef run():\n    return map(show, stripe.Customer.list().data)\n", "review"),  # its own map
])
def test_a_parameter_is_decided_by_the_calls_that_name_its_function(caller: str, status: str) -> None:
    """A module is searched for the calls of its own function only when its source names the
    function again: each way of reaching it names it; without one, no call here can."""
    for mode in (CHECK, DIFF):
        result = check_source("case.py", (_SHOWN + caller).encode(), Options(mode=mode))
        assert [(f.line, f.code, f.status) for f in result.findings if f.code in ("SB001", "SB900")] == [(5, "SB001" if status == "fixable" else "SB900", status)]


def test_a_lambda_that_sorts_a_stripe_list_in_place_gets_its_items() -> None:
    source = (b"import stripe\n\n\ndef run():\n    customers = stripe.Customer.list().data\n"
              b"    customers.sort(key=lambda c: c.account_balance)\n    return customers\n")
    for mode in (CHECK, DIFF):
        result = check_source("case.py", source, Options(mode=mode))
        assert [(f.line, f.code, f.status) for f in result.findings] == [(6, "SB001", "fixable")]


# a helper module without a stripe import: one function reads the field, one passes its parameter on
_HELPER = "def show(customer):\n    return customer.account_balance\n\n\ndef relay(thing):\n    return show(thing)\n"
_LEDGER = "class Ledger:\n    account_balance = 0\n"


@pytest.mark.parametrize("calls, found", [
    (["show(stripe.Customer.retrieve(cid))", "show(Ledger())"], ("SB900", "review")),  # Stripe data on one call only
    (["show(Ledger())", "show(stripe.Customer.retrieve(cid))"], ("SB900", "review")),
    (["relay(stripe.Customer.retrieve(cid))", "relay(Ledger())"], ("SB900", "review")),  # through another parameter
    (["show(stripe.Customer.list())"], ("SB900", "review")),  # Stripe data, but a list of customers
    (["show(Ledger())", "relay(Ledger())"], ("SB001", "kept")),  # no Stripe data reaches it
    (["show(stripe.Customer.retrieve(cid))", "relay(stripe.Customer.retrieve(cid))"],
     ("SB001", "fixable")),
    (["list(map(show, stripe.Customer.list().data))", "list(map(relay, stripe.Customer.list().data))"],
     ("SB001", "fixable")),  # passed, not called, by name
    (["max(stripe.Customer.list().data, key=show)", "show(Ledger())"], ("SB900", "review")),
    (["list(map(show, [Ledger(), Ledger()]))"], ("SB001", "kept")),
])
def test_stripe_data_that_reaches_a_helper_on_some_calls_makes_it_stripe_code(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        calls: list[str], found: tuple[str, str]) -> None:
    """A helper module without a stripe import whose function some calls pass a Stripe object, or
    pass on to it, is Stripe-using code: its undecided site is a review item, never kept as proven
    not Stripe."""
    pages = "".join(f"\n\ndef page{n}(cid):\n    return {call}\n" for n, call in enumerate(calls))
    (tmp_path / "app").mkdir()
    imports = "import stripe\n\nfrom .ledger import Ledger\nfrom .shown import relay, show\n"
    for name, text in {"__init__.py": "", "shown.py": _HELPER, "ledger.py": _LEDGER, "pages.py": imports + pages}.items():
        (tmp_path / "app" / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    main(["--format", "json", "--no-cache", "app"])
    report = json.loads(capsys.readouterr().out)
    shown = [(g["code"], g["status"]) for f in report["files"] if f["path"] == "app/shown.py" for g in f["findings"]]
    assert shown == [found]


_VIEW = ("class View:\n    def __init__(self, customer):\n        self.customer = customer\n\n"
         "    def shown(self):\n        return self.customer.account_balance\n")  # no stripe import either


@pytest.mark.parametrize("made, found", [
    (["View(stripe.Customer.retrieve(cid))"] * 2, ("SB001", "fixable")),
    (["View(stripe.Customer.retrieve(cid))", "View(Ledger())"], ("SB900", "review")),
    (["View(Ledger())"], ("SB001", "kept")),
])
def test_the_calls_of_a_class_of_a_module_that_never_mentions_stripe_decide_what_it_holds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        made: list[str], found: tuple[str, str]) -> None:
    """A class that stores what its __init__ receives is decided by the calls that make one, in
    other modules too, even when its own module never mentions Stripe."""
    pages = "".join(f"\n\ndef page{n}(cid):\n    return {call}.shown()\n" for n, call in enumerate(made))
    imports = "import stripe\n\nfrom .ledger import Ledger\nfrom .view import View\n"
    (tmp_path / "app").mkdir()
    for name, text in {"__init__.py": "", "view.py": _VIEW, "ledger.py": _LEDGER, "pages.py": imports + pages}.items():
        (tmp_path / "app" / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    main(["--format", "json", "--no-cache", "app"])
    report = json.loads(capsys.readouterr().out)
    assert [(g["code"], g["status"]) for f in report["files"] if f["path"] == "app/view.py" for g in f["findings"]] == [found]
