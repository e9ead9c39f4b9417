"""Helpers that are never called by name, only mapped over customers, filtered with, or sorted by."""
import os

import stripe

WRITTEN_FOR = "5.5.0"
EXPECTED_TRANSACTIONS = []

stripe.api_key = "sk_test_e2e"
stripe.api_base = os.environ["STRIPE_API_BASE"]
stripe.api_version = os.environ["STRIPE_API_VERSION"]


def owed(customer):
    return customer.account_balance


def in_credit(customer):
    return customer.account_balance < 0


for email, balance in (("hal@example.com", 500), ("ida@example.com", -300), ("joe@example.com", 100)):
    stripe.Customer.create(email=email, account_balance=balance)
customers = stripe.Customer.list(limit=10).data
print(sorted(map(owed, customers)))
print([customer.email for customer in filter(in_credit, customers)])
print([customer.email for customer in sorted(customers, key=owed)])
print(max(stripe.Customer.list(limit=10).auto_paging_iter(), key=owed).email)
