"""Resource-style billing: credits and fees as read-modify-writes of the balance."""
import os

import stripe

WRITTEN_FOR = "5.5.0"
EXPECTED_TRANSACTIONS = [("ada@example.com", -300, "usd"), ("ada@example.com", 50, "usd"), ("bob+vip@example.com", -25, "usd")]

stripe.api_key = "sk_test_e2e"
stripe.api_base = os.environ["STRIPE_API_BASE"]
stripe.api_version = os.environ["STRIPE_API_VERSION"]


def apply_credit(customer_id, credit):
    customer = stripe.Customer.retrieve(customer_id)
    stripe.Customer.modify(customer_id, account_balance=customer.account_balance - credit)


def charge_fee(customer_id, fee):
    customer = stripe.Customer.retrieve(customer_id)
    customer.account_balance += fee
    customer.save()


def goodwill(customer_id, amount):
    customer = stripe.Customer.retrieve(customer_id)
    stripe.Customer.modify(customer_id, email="bob+vip@example.com", account_balance=customer.account_balance - amount)


def main():
    ada = stripe.Customer.create(email="ada@example.com", account_balance=1000)
    bob = stripe.Customer.create(email="bob@example.com")
    apply_credit(ada.id, 300)
    charge_fee(ada.id, 50)
    goodwill(bob.id, 25)
    for customer in stripe.Customer.list().auto_paging_iter():
        print(customer.get("email"), customer.get("account_balance"))


main()
