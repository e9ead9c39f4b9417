"""StripeClient with the v1 namespace (stripe-python 12.5+), sync and async."""
import asyncio
import os

from stripe import StripeClient

WRITTEN_FOR = "12.5.1"
EXPECTED_TRANSACTIONS = [("ed@example.com", -40, "usd"), ("ed@example.com", 15, "usd")]

client = StripeClient(
    "sk_test_e2e",
    stripe_version=os.environ["STRIPE_API_VERSION"],
    base_addresses={"api": os.environ["STRIPE_API_BASE"]},
)


def refund_to_balance(customer_id, amount):
    customer = client.v1.customers.retrieve(customer_id)
    client.v1.customers.update(customer_id, {"account_balance": customer.account_balance - amount})


async def late_fee(customer_id, amount):
    customer = await client.v1.customers.retrieve_async(customer_id)
    await client.v1.customers.update_async(customer_id, params={"account_balance": customer.account_balance + amount})


customer = client.v1.customers.create({"email": "ed@example.com"})
refund_to_balance(customer.id, 40)
asyncio.run(late_fee(customer.id, 15))
print(client.v1.customers.retrieve(customer.id)["account_balance"])
