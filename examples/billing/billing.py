"""Invoices credits against the Stripe customer balance."""
import stripe


def outstanding(customer_id: str) -> int:
    customer = stripe.Customer.retrieve(customer_id)
    return customer.account_balance


def open_account(email: str, opening_balance: int) -> stripe.Customer:
    return stripe.Customer.create(email=email, account_balance=opening_balance)


def reset(customer_id: str) -> None:
    stripe.Customer.modify(customer_id, account_balance=0)


def largest_debtors() -> list:
    customers = stripe.Customer.list(limit=100).auto_paging_iter()
    return sorted((c for c in customers if c["account_balance"] > 0), key=lambda c: c.id)
