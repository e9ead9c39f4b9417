"""A small fake of the Stripe API on 127.0.0.1, versioned like the real one around 2019-10-17.

It serves Customers (and their balance transactions), Invoices, Subscriptions and
Subscription Schedules. What each version accepts and returns comes from
``api_surface.json`` (Stripe's OpenAPI specification at API 2019-10-08 and 2019-10-17):
a parameter the version does not list is rejected as the real API rejects it ("Received
unknown parameter"), and an object is rendered with exactly the version's fields. Objects
are kept under their new names; before 2019-10-17 the old names are rendered beside them
(``account_balance``, ``billing``, ``start``, ``renewal_behavior`` with its old values).
Every customer has the currency ``usd``, a simplification: balance transactions must name it.
"""
from __future__ import annotations

import copy
import itertools
import json
import re
import threading
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import parse_qsl, urlsplit

RENAMED_IN = "2019-10-17"
CURRENCY = "usd"
NOW = 1_571_000_000  # a fixed clock: both runs of a program must see the same objects
_SURFACE = json.loads((Path(__file__).with_name("api_surface.json")).read_text())["versions"]

# path segment -> (object name, id prefix)
RESOURCES = {
    "customers": ("customer", "cus"), "invoices": ("invoice", "in"),
    "subscriptions": ("subscription", "sub"), "subscription_schedules": ("subscription_schedule", "sub_sched"),
}
# object -> old name -> (new name, old value -> new value); both are accepted before 2019-10-17
RENAMES: dict[str, dict[str, tuple[str, dict[str, str]]]] = {
    "customer": {"account_balance": ("balance", {})},
    "invoice": {"billing": ("collection_method", {})},
    "subscription": {"billing": ("collection_method", {}), "start": ("current_period_start", {})},
    "subscription_schedule": {"billing": ("collection_method", {}),
                              "renewal_behavior": ("end_behavior", {"none": "cancel"})},
}
_INTEGERS = frozenset({"balance", "amount", "days_until_due", "due_date", "limit", "trial_end"})
_EXPANDABLE = {"customer": "customers", "latest_invoice": "invoices", "subscription": "subscriptions"}


class FakeStripe:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ids: dict[str, Iterator[int]] = defaultdict(lambda: itertools.count(1))
        self.objects: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in RESOURCES}
        self.ledger: list[dict[str, Any]] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeStripe:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def reset(self) -> None:
        with self._lock:
            self._ids.clear()
            for table in self.objects.values():
                table.clear()
            self.ledger.clear()

    @property
    def customers(self) -> dict[str, dict[str, Any]]:
        return self.objects["customers"]

    def balances(self) -> dict[str, int]:
        """Final balance of each customer, by email."""
        return {c["email"]: c["balance"] for c in self.customers.values()}

    def state(self) -> dict[str, dict[str, dict[str, Any]]]:
        """Every object as stored (new names), to compare two runs of a program."""
        return copy.deepcopy(self.objects)

    def transactions(self) -> list[tuple[str, int, str]]:
        emails = {c["id"]: c["email"] for c in self.customers.values()}
        return [(emails[t["customer"]], t["amount"], t["currency"]) for t in self.ledger]

    # -- the API ------------------------------------------------------------------------
    def handle(self, method: str, path: str, version: str, params: dict[str, Any]) -> tuple[int, Any]:
        surface = _SURFACE["2019-10-17" if version[:10] >= RENAMED_IN else "2019-10-08"]
        parts = [p for p in path.split("/") if p][1:]  # drop "v1"
        allowed = _allowed(surface, method, parts)
        if allowed is None:
            return 404, {"error": {"type": "invalid_request_error", "message": f"Unrecognized request URL ({method} {path})"}}
        unknown = sorted(set(params) - set(allowed))
        if unknown:
            return _error(f"Received unknown parameter: {unknown[0]}", unknown[0])
        with self._lock:
            return self._serve(method, parts, params, surface)

    def _serve(self, method: str, parts: list[str], params: dict[str, Any], surface: dict[str, Any]) -> tuple[int, Any]:
        resource = parts[0]
        name, prefix = RESOURCES[resource]
        table = self.objects[resource]
        expand = _list(params.get("expand"))
        if len(parts) == 1 and method == "POST":
            obj = self._create(resource, name, prefix, params)
            return 200, self._render(obj, surface, expand)
        if len(parts) == 1:
            found = [o for o in table.values() if _matches(o, _canonical(name, params))]
            data = [self._render(o, surface, expand) for o in found[: int(params.get("limit", 10))]]
            return 200, {"object": "list", "data": data, "has_more": False, "url": f"/v1/{resource}"}
        obj = table.get(parts[1])
        if obj is None:
            return 404, {"error": {"type": "invalid_request_error", "message": f"No such {name}: {parts[1]}"}}
        if len(parts) == 2 and method == "GET":
            return 200, self._render(obj, surface, expand)
        if len(parts) == 2 and method == "POST":
            _apply(obj, _canonical(name, params))
            return 200, self._render(obj, surface, expand)
        return self._transaction(obj, params)

    def _create(self, resource: str, name: str, prefix: str, params: dict[str, Any]) -> dict[str, Any]:
        obj: dict[str, Any] = {"id": f"{prefix}_{next(self._ids[prefix])}", "object": name, "created": NOW, "metadata": {}}
        obj.update(_DEFAULTS[name]())
        _apply(obj, _canonical(name, params))
        if name == "invoice" and obj["collection_method"] == "send_invoice" and obj.get("due_date") is None:
            obj["due_date"] = NOW + 86400 * int(obj.get("days_until_due") or 30)
        if name == "subscription":
            invoice = self._create("invoices", "invoice", "in", {"customer": obj["customer"]})
            invoice.update(subscription=obj["id"], collection_method=obj["collection_method"])
            obj["latest_invoice"] = invoice["id"]
        self.objects[resource][obj["id"]] = obj
        return obj

    def _transaction(self, customer: dict[str, Any], params: dict[str, Any]) -> tuple[int, Any]:
        if "amount" not in params:
            return _error("Missing required param: amount.", "amount")
        if "currency" not in params:
            return _error("Missing required param: currency.", "currency")
        if params["currency"] != customer["currency"]:
            return _error("The currency must match the customer's currency.", "currency")
        customer["balance"] += int(params["amount"])
        record = {
            "id": f"cbtxn_{next(self._ids['cbtxn'])}", "object": "customer_balance_transaction",
            "amount": int(params["amount"]), "currency": params["currency"], "customer": customer["id"],
            "ending_balance": customer["balance"], "type": "adjustment",
        }
        self.ledger.append(record)
        return 200, record

    def _render(self, obj: dict[str, Any], surface: dict[str, Any], expand: list[str]) -> dict[str, Any]:
        """The object as the version shows it: its fields only, the old names beside the new ones before 2019-10-17."""
        name = obj["object"]
        fields = set(surface["objects"][name])
        body = {key: value for key, value in obj.items() if key in fields}
        if name == "invoice" and body.get("collection_method") == "charge_automatically" and "billing" not in fields:
            body["due_date"] = None  # 2019-10-17: always null when charged automatically
        for old, (new, values) in RENAMES.get(name, {}).items():
            if old in fields and new in obj:
                back = {n: o for o, n in values.items()}
                body[old] = back.get(obj[new], obj[new])
        for field in expand:
            table = self.objects.get(_EXPANDABLE.get(field, ""), {})
            if isinstance(body.get(field), str) and body[field] in table:
                body[field] = self._render(table[body[field]], surface, [])
        return body

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self._answer("GET")

            def do_POST(self) -> None:
                self._answer("POST")

            def do_DELETE(self) -> None:
                self._answer("DELETE")

            def _answer(self, method: str) -> None:
                url = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                params = _nest(parse_qsl(url.query) + parse_qsl(body))
                status, payload = fake.handle(method, url.path, self.headers.get("Stripe-Version", ""), params)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Request-Id", "req_fake")
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: object) -> None:  # quiet
                pass

        return Handler


_DEFAULTS = {
    "customer": lambda: {"email": None, "currency": CURRENCY, "balance": 0},
    "invoice": lambda: {"customer": None, "collection_method": "charge_automatically", "due_date": None,
                        "status": "draft", "subscription": None},
    "subscription": lambda: {"customer": None, "collection_method": "charge_automatically", "status": "active",
                             "start_date": NOW, "current_period_start": NOW, "days_until_due": None},
    "subscription_schedule": lambda: {"customer": None, "collection_method": "charge_automatically",
                                      "end_behavior": "release", "status": "not_started", "subscription": None},
}


def _allowed(surface: dict[str, Any], method: str, parts: list[str]) -> list[str] | None:
    """The parameters the endpoint takes at this version, or None when there is no such endpoint."""
    for key, params in surface["endpoints"].items():
        verb, template = key.split(" ", 1)
        segments = [p for p in template.split("/") if p][1:]
        if verb == method and len(segments) == len(parts) and all(
            s.startswith("{") or s == p for s, p in zip(segments, parts)
        ):
            return params  # type: ignore[no-any-return]
    return None


def _canonical(name: str, params: dict[str, Any]) -> dict[str, Any]:
    """Parameters under the new names (and values), whichever names the request used."""
    out = {}
    for key, value in params.items():
        if key in ("expand", "limit", "starting_after", "ending_before", "created"):
            continue
        new, values = RENAMES.get(name, {}).get(key, (key, {}))
        out[new] = values.get(value, value) if isinstance(value, str) else value
    return out


def _apply(obj: dict[str, Any], params: dict[str, Any]) -> None:
    for key, value in params.items():
        if key == "metadata" and isinstance(value, dict):
            obj["metadata"].update(value)
        else:
            obj[key] = int(value) if key in _INTEGERS and value not in ("", None) else value


def _matches(obj: dict[str, Any], filters: dict[str, Any]) -> bool:
    return all(str(obj.get(key)) == str(value) for key, value in filters.items())


def _list(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [str(v) for _, v in sorted(value.items())]
    return [str(v) for v in value] if isinstance(value, list) else []


def _nest(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """``items[0][price]=p`` form fields as nested dicts (lists are dicts keyed by index)."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        path = re.findall(r"[^\[\]]+", key) or [key]
        if key.endswith("[]"):
            path.append(str(len(root.get(path[0], {}))))
        node = root
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = value
    return root


def _error(message: str, param: str) -> tuple[int, Any]:
    return 400, {"error": {"type": "invalid_request_error", "message": message, "param": param}}
