"""Which calls decide what a function's parameter is."""
from __future__ import annotations

import pytest

from codemod.engine import check_source
from codemod.options import CHECK, DIFF, Options


_SHOWN = "import stripe\n\n\ndef show(customer):\n    return customer.account_balance\n\n\n"


@pytest.mark.parametrize("caller, status", [
    ("def run(cid):\n    view = show\n    return view(stripe.Customer.retrieve(cid))\n", "fixable"),  # through an alias
    ("HANDLERS = {'customer.updated': show}\n\n\ndef on(event):\n    HANDLERS[event.type](event.data.object)\n", "review"),
    ("def run(cid):\n    return stripe.Customer.retrieve(cid)\n", "review"),  # the module never names show() again
    ("def run(cid):\n    return getattr(this, 'show')(stripe.Customer.retrieve(cid))\n", "review"),  # named in a string
])
def test_a_parameter_is_decided_by_the_calls_that_name_its_function(caller: str, status: str) -> None:
    """A module is searched for the calls of its own function only when its source names the
    function again: each way of reaching it names it; without one, no call here can."""
    for mode in (CHECK, DIFF):
        result = check_source("case.py", (_SHOWN + caller).encode(), Options(mode=mode))
        assert [(f.line, f.code, f.status) for f in result.findings if f.code in ("SB001", "SB900")] == [(5, "SB001" if status == "fixable" else "SB900", status)]
