"""Reads and absolute writes: renamed, never converted; a Stripe object read as a dict."""
import json
import os

import stripe

WRITTEN_FOR = "5.5.0"
EXPECTED_TRANSACTIONS = []

stripe.api_key = "sk_test_e2e"
stripe.api_base = os.environ["STRIPE_API_BASE"]
stripe.api_version = os.environ["STRIPE_API_VERSION"]


def owed(customer_id):
    customer = stripe.Customer.retrieve(customer_id)
    return customer.account_balance if hasattr(customer, "account_balance") else None


def reset_all():
    for customer in stripe.Customer.list(limit=10).auto_paging_iter():
        if customer["account_balance"] > 0:
            stripe.Customer.modify(customer.id, account_balance=0)


fay = stripe.Customer.create(email="fay@example.com", account_balance=700)
gus = stripe.Customer.create(email="gus@example.com", account_balance=-200)
params = {"account_balance": 300}
stripe.Customer.modify(gus.id, **params)
print(owed(fay.id), owed(gus.id))
reset_all()
print(owed(fay.id), owed(gus.id))
again = stripe.Customer.retrieve(fay.id)
print(again.get("account_balance", 0), again.get("email"), again.get("phone", "no phone"))
print(json.dumps({key: value for key, value in again.items() if key in ("email", "currency")}, sort_keys=True))
print(json.dumps(again, sort_keys=True)[:1], len(again) > 3, "email" in dict(again), {**again}["id"] == fay.id)
