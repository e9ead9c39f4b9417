"""Where the codemod cannot prove anything, it asks a person to look."""
import stripe


def describe(customer) -> str:
    return f"{customer.id}: {customer.account_balance}"
