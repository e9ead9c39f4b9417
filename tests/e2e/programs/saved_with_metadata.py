"""A balance change saved together with other changes: the save must still send those."""
import os

import stripe

WRITTEN_FOR = "5.5.0"
EXPECTED_TRANSACTIONS = [("ada@example.com", -40, "usd"), ("bob@example.com", -40, "usd"), ("bob@example.com", 15, "usd")]

stripe.api_key = "sk_test_e2e"
stripe.api_base = os.environ["STRIPE_API_BASE"]
stripe.api_version = os.environ["STRIPE_API_VERSION"]


def bonus(cents):
    for customer in stripe.Customer.list(limit=100).auto_paging_iter():
        if customer.account_balance >= 0:
            customer.account_balance = customer.account_balance - cents
            customer.metadata["bonus_cents"] = str(cents)
            customer.save()


def fee(customer_id, cents, plan):
    customer = stripe.Customer.retrieve(customer_id)
    customer.account_balance += cents
    customer.metadata.update({"plan": plan})
    customer.save()


def main():
    ada = stripe.Customer.create(email="ada@example.com", account_balance=100)
    bob = stripe.Customer.create(email="bob@example.com")
    bonus(40)
    fee(bob.id, 15, "pro")
    for customer in stripe.Customer.list().auto_paging_iter():
        print(customer.email, customer.account_balance, customer.metadata.get("plan", "-"), sorted(customer.metadata.keys()))
    assert ada.id and bob.id


main()
