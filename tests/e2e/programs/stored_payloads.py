"""Payloads the project keeps itself: a recorded customer written as a JSON string, and
webhooks stored as the project's own records, handled by the event type their kind or their
handler class names."""
import json
import os

import stripe

WRITTEN_FOR = "5.5.0"
EXPECTED_TRANSACTIONS = []

stripe.api_key = "sk_test_e2e"
stripe.api_base = os.environ["STRIPE_API_BASE"]
stripe.api_version = os.environ["STRIPE_API_VERSION"]

RECORDED = '{"id": "cus_recorded", "object": "customer", "account_balance": 1200, "metadata": {"account_balance": "ledger"}}'
CUSTOMER_EVENTS = ("customer.created", "customer.updated")


class Record:
    def __init__(self, kind, message):
        self.kind = kind
        self.message = message


class Handler:
    name = None

    def __init__(self, record):
        self.record = record


class CustomerUpdated(Handler):
    name = "customer.updated"

    def handle(self):
        return owed(self.record.message["data"]["object"])


def owed(cu):
    return cu["account_balance"]


def link(record):
    payload = record.message["data"]["object"]
    if record.kind in CUSTOMER_EVENTS:
        return owed(payload)
    return None


recorded = json.loads(RECORDED)
print(owed(recorded), recorded["metadata"]["account_balance"])
hal = stripe.Customer.create(email="hal@example.com", account_balance=450)
fetched = stripe.Customer.retrieve(hal.id)
record = Record("customer.updated", {"type": "customer.updated", "data": {"object": json.loads(str(fetched))}})
print(link(record), CustomerUpdated(record).handle(), owed(fetched))
