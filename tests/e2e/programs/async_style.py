"""Async resource style (stripe-python 8.10+)."""
import asyncio
import os

import stripe
from stripe.error import CardError, InvalidRequestError

WRITTEN_FOR = "12.5.1"
EXPECTED_TRANSACTIONS = [("cy@example.com", -120, "usd")]

stripe.api_key = "sk_test_e2e"
stripe.api_base = os.environ["STRIPE_API_BASE"]
stripe.api_version = os.environ["STRIPE_API_VERSION"]


async def credit(customer_id, amount):
    customer = await stripe.Customer.retrieve_async(customer_id)
    await stripe.Customer.modify_async(customer_id, account_balance=customer.account_balance - amount)


async def main():
    customer = await stripe.Customer.create_async(email="cy@example.com", account_balance=500)
    await credit(customer.id, 120)
    fresh = await stripe.Customer.retrieve_async(customer.id)
    print(fresh["account_balance"], fresh.get("email"), dict(fresh)["email"])
    try:
        await stripe.Customer.retrieve_async("cus_missing")
    except (CardError, InvalidRequestError) as error:
        print("missing:", error.http_status)


asyncio.run(main())
