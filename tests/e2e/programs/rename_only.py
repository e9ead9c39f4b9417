"""Reads and absolute writes: renamed, never converted."""
import os

import stripe

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
