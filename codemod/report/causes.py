"""The review items grouped by what leaves them undecided, each group saying once what would settle it.

A review item's why ends in the link of the chain that nothing proves: a parameter no call
and no annotation decides, a dict that is never sent anywhere, a file that does not parse.
Five items behind one parameter are one decision; the reports show it once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..findings import Finding

_PARAMETER = re.compile(r"\b(\w+) is a parameter of ([\w.]+)\(\)(?: \(([^()]*)\))?")
_UNBOUND = re.compile(r"nothing in this module binds (\w+)")
_KIND = re.compile(r"Stripe (\w+)")


@dataclass(frozen=True)
class Cause:
    what: str  # what is not proven
    settle: str  # what would prove it, either way


def cause(finding: Finding) -> Cause:
    why, code = finding.why, finding.code
    named = _KIND.search(finding.message)
    kind = named.group(1) if named else "Customer"
    ignore = f"`# stripe-codemod: ignore[{code}]`"
    if "this file does not parse" in finding.message:
        return Cause(f"the file does not parse ({why.split(';')[0]})", "fix the syntax error and run again")
    if code == "SB100":
        return Cause("an API version pin older than 2019-10-17", "raise the pin to 2019-10-17 or later, with the renamed code")
    parameters = _PARAMETER.findall(why)
    if parameters:
        name, function, where = parameters[-1]
        place = f" ({where})" if where else ""
        return Cause(f"`{name}` is a parameter of {function}(){place} that no call or annotation decides",
                     f"annotate it (`{name}: stripe.{kind}`) or pass Stripe data at every call; if it is not Stripe data, "
                     f"add {ignore}")
    if "request body written as a string" in why:
        return Cause("a request body written as a string",
                     f"if it is sent to Stripe, rename the field by hand; if not, add {ignore}")
    if 'has no Stripe "object" key' in why:
        return Cause("a dict that is never sent to a Stripe call",
                     f'add `"object": "{kind.lower()}"` if it stands for Stripe data (it is then fixed); if not, add {ignore}')
    unbound = _UNBOUND.search(why)
    if unbound:
        return Cause(f"`{unbound.group(1)}` is not bound where the codemod can see it",
                     f"import or define `{unbound.group(1)}` in the module, or annotate the value (`stripe.{kind}`)")
    return Cause(why, f"annotate the value with its Stripe type (`stripe.{kind}`) to have it fixed, or add {ignore}")


def grouped(items: list[tuple[str, Finding]]) -> list[tuple[Cause, list[tuple[str, Finding]]]]:
    """``(path, finding)`` pairs by cause, the biggest group first (then in the order found)."""
    groups: dict[Cause, list[tuple[str, Finding]]] = {}
    for path, finding in items:
        groups.setdefault(cause(finding), []).append((path, finding))
    return sorted(groups.items(), key=lambda group: -len(group[1]))
