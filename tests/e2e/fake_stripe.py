"""A small fake of the Stripe API on 127.0.0.1, versioned like the real one for this field.

It keeps customers and a ledger of Customer Balance Transactions. Customers are rendered
with ``account_balance`` (and ``balance``, which exists since 2019-05-31) for a
``Stripe-Version`` before 2019-10-17, and with ``balance`` only from 2019-10-17 on, when an
``account_balance`` parameter is rejected as Stripe rejects it. Every customer has the
currency ``usd``, a simplification: balance transactions must name it.
"""
from __future__ import annotations

import itertools
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

RENAMED_IN = "2019-10-17"
CURRENCY = "usd"


class FakeStripe:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self.customers: dict[str, dict[str, Any]] = {}
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
            self.customers.clear()
            self.ledger.clear()

    def balances(self) -> dict[str, int]:
        """Final balance of each customer, by email."""
        return {c["email"]: c["balance"] for c in self.customers.values()}

    def transactions(self) -> list[tuple[str, int, str]]:
        emails = {c["id"]: c["email"] for c in self.customers.values()}
        return [(emails[t["customer"]], t["amount"], t["currency"]) for t in self.ledger]

    # -- the API ------------------------------------------------------------------------
    def handle(self, method: str, path: str, version: str, params: dict[str, str]) -> tuple[int, Any]:
        new = version[:10] >= RENAMED_IN
        if new and "account_balance" in params:
            return _error("Received unknown parameter: account_balance", "account_balance")
        parts = [p for p in path.split("/") if p][1:]  # drop "v1"
        with self._lock:
            if parts == ["customers"] and method == "POST":
                return self._create(params, new)
            if parts == ["customers"] and method == "GET":
                data = [self._render(c, new) for c in self.customers.values()]
                return 200, {"object": "list", "data": data, "has_more": False, "url": "/v1/customers"}
            if len(parts) >= 2 and parts[0] == "customers":
                customer = self.customers.get(parts[1])
                if customer is None:
                    return 404, {"error": {"type": "invalid_request_error", "message": f"No such customer: {parts[1]}"}}
                if len(parts) == 2 and method == "GET":
                    return 200, self._render(customer, new)
                if len(parts) == 2 and method == "POST":
                    return self._update(customer, params, new)
                if parts[2:] == ["balance_transactions"] and method == "POST":
                    return self._transaction(customer, params)
        return 404, {"error": {"type": "invalid_request_error", "message": f"Unrecognized request URL ({method} {path})"}}

    def _create(self, params: dict[str, str], new: bool) -> tuple[int, Any]:
        customer = {"id": f"cus_{next(self._ids)}", "email": params.get("email"), "currency": CURRENCY, "balance": 0}
        self._apply(customer, params)
        self.customers[customer["id"]] = customer
        return 200, self._render(customer, new)

    def _update(self, customer: dict[str, Any], params: dict[str, str], new: bool) -> tuple[int, Any]:
        self._apply(customer, params)
        return 200, self._render(customer, new)

    @staticmethod
    def _apply(customer: dict[str, Any], params: dict[str, str]) -> None:
        for key in ("balance", "account_balance"):
            if key in params:
                customer["balance"] = int(params[key])
        if "email" in params:
            customer["email"] = params["email"]

    def _transaction(self, customer: dict[str, Any], params: dict[str, str]) -> tuple[int, Any]:
        if "amount" not in params:
            return _error("Missing required param: amount.", "amount")
        if "currency" not in params:
            return _error("Missing required param: currency.", "currency")
        if params["currency"] != customer["currency"]:
            return _error("The currency must match the customer's currency.", "currency")
        customer["balance"] += int(params["amount"])
        record = {
            "id": f"cbtxn_{next(self._ids)}", "object": "customer_balance_transaction",
            "amount": int(params["amount"]), "currency": params["currency"], "customer": customer["id"],
            "ending_balance": customer["balance"], "type": "adjustment",
        }
        self.ledger.append(record)
        return 200, record

    @staticmethod
    def _render(customer: dict[str, Any], new: bool) -> dict[str, Any]:
        body = {"id": customer["id"], "object": "customer", "email": customer["email"],
                "currency": customer["currency"], "metadata": {}, "balance": customer["balance"]}
        if not new:
            body["account_balance"] = customer["balance"]
        return body

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self._answer("GET")

            def do_POST(self) -> None:
                self._answer("POST")

            def _answer(self, method: str) -> None:
                url = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                params = dict(parse_qsl(url.query)) | dict(parse_qsl(body))
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


def _error(message: str, param: str) -> tuple[int, Any]:
    return 400, {"error": {"type": "invalid_request_error", "message": message, "param": param}}
