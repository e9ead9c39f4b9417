"""Merging two customers: one balance increased by the other's, read from Stripe."""
import os

import stripe

WRITTEN_FOR = "5.5.0"
EXPECTED_TRANSACTIONS = [("ada@example.com", 250, "usd"), ("ada@example.com", -100, "usd")]

stripe.api_key = "sk_test_e2e"
stripe.api_base = os.environ["STRIPE_API_BASE"]
stripe.api_version = os.environ["STRIPE_API_VERSION"]


def merge(target_id, source_id):
    target = stripe.Customer.retrieve(target_id)
    source = stripe.Customer.retrieve(source_id)
    stripe.Customer.modify(target_id, account_balance=target.account_balance + source.account_balance)


def refund_from(target_id, source_id):
    target = stripe.Customer.retrieve(target_id)
    refund = stripe.Customer.retrieve(source_id)
    target.account_balance -= refund["account_balance"]
    target.save()


def main():
    ada = stripe.Customer.create(email="ada@example.com", account_balance=1000)
    old = stripe.Customer.create(email="old@example.com", account_balance=250)
    small = stripe.Customer.create(email="small@example.com", account_balance=100)
    merge(ada.id, old.id)
    refund_from(ada.id, small.id)
    for customer in stripe.Customer.list().auto_paging_iter():
        print(customer.email, customer.account_balance)


main()
