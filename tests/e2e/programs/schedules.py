"""Subscription schedules: what happens at their end, set and read with literal values."""
import os

import stripe

WRITTEN_FOR = "5.5.0"
EXPECTED_TRANSACTIONS = []

stripe.api_key = "sk_test_e2e"
stripe.api_base = os.environ["STRIPE_API_BASE"]
stripe.api_version = os.environ["STRIPE_API_VERSION"]


def schedule_for(customer_id):
    return stripe.SubscriptionSchedule.create(
        customer=customer_id, billing="charge_automatically", renewal_behavior="release",
    )


def cancel_at_end(schedule_id):
    stripe.SubscriptionSchedule.modify(schedule_id, renewal_behavior="none")
    schedule = stripe.SubscriptionSchedule.retrieve(schedule_id)
    return schedule.renewal_behavior == "none", schedule["billing"]


cus = stripe.Customer.create(email="kim@example.com")
schedule = schedule_for(cus.id)
print(schedule.renewal_behavior in ("release",), cancel_at_end(schedule.id))
