"""API version pins in a module: where the code asks Stripe for one API version.

``stripe.api_version = "..."``, ``stripe_version=`` of any SDK call (``StripeClient(...)``,
a resource call, ``raw_request``), ``api_version=`` of ``WebhookEndpoint.create/modify``,
and in Stripe-using code ``{"stripe_version": ...}`` options or ``{"Stripe-Version": ...}``
headers. Only pins are collected here; the rule decides which are too old.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import libcst as cst

from .provenance import Env, Provenance, StripeSymbol, Visit

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_HEADERS = frozenset({"stripe_version", "stripe-version"})


@dataclass(frozen=True)
class Pin:
    literal: cst.SimpleString
    version: str
    how: str  # "stripe.api_version = ...", "stripe_version= of StripeClient(...)", ...
    endpoint: bool = False  # pins the webhook payloads, not the requests


def collector(prov: Provenance) -> tuple[list[Pin], Visit]:
    pins: list[Pin] = []

    def visit(node: cst.CSTNode, env: Env) -> None:
        if isinstance(node, cst.Assign):
            for target in node.targets:
                owner = target.target
                if isinstance(owner, cst.Attribute) and owner.attr.value == "api_version":
                    if _is_stripe_module(prov, owner.value, env):
                        _add(node.value, "set as stripe.api_version")
        elif isinstance(node, cst.Call):
            callee = None
            for arg in node.args:
                keyword = arg.keyword.value if arg.keyword is not None else None
                if keyword not in ("stripe_version", "api_version") or not isinstance(arg.value, cst.SimpleString):
                    continue
                callee = callee or prov.resolve(prov.fact(node.func, env))
                if not isinstance(callee, StripeSymbol):
                    continue
                endpoint = keyword == "api_version"
                if endpoint and "WebhookEndpoint" not in callee.path:
                    continue
                _add(arg.value, f"{keyword}= of {callee.dotted.replace('<StripeClient>', 'client')}(...)", endpoint)
        elif isinstance(node, cst.Dict):
            for element in node.elements:
                if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString):
                    key = element.key.evaluated_value
                    if isinstance(key, str) and key.lower() in _HEADERS and prov.stripe_evidence:
                        _add(element.value, f'the "{key}" of a dict')

    def _add(value: cst.BaseExpression, how: str, endpoint: bool = False) -> None:
        if isinstance(value, cst.SimpleString) and isinstance(value.evaluated_value, str):
            match = _DATE.match(value.evaluated_value)
            if match:
                pins.append(Pin(value, value.evaluated_value, how, endpoint))

    return pins, visit


def _is_stripe_module(prov: Provenance, node: cst.BaseExpression, env: Env) -> bool:
    fact = prov.fact(node, env)
    return isinstance(fact, StripeSymbol) and fact.path == ("stripe",)
