"""StripeClient with the un-namespaced services (stripe-python 8.0 to 12.x style)."""
import os

from stripe import StripeClient
from stripe.error import InvalidRequestError

WRITTEN_FOR = "12.5.1"

EXPECTED_TRANSACTIONS = [("di@example.com", 75, "usd")]

client = StripeClient(
    "sk_test_e2e",
    stripe_version=os.environ["STRIPE_API_VERSION"],
    base_addresses={"api": os.environ["STRIPE_API_BASE"]},
)


def add_charge(customer_id, amount):
    customer = client.customers.retrieve(customer_id)
    client.customers.update(customer_id, {"account_balance": customer.account_balance + amount})


customer = client.customers.create({"email": "di@example.com", "account_balance": 25})
add_charge(customer.id, 75)
fresh = client.customers.retrieve(customer.id)
print(fresh.get("account_balance", 0))
try:
    client.customers.retrieve("cus_missing")
except InvalidRequestError as error:
    print("missing:", error.http_status)
