"""Subscriptions billed by invoice: the collection method read, filtered, changed and replayed from a webhook."""
import os

import stripe

WRITTEN_FOR = "5.5.0"
EXPECTED_TRANSACTIONS = []

stripe.api_key = "sk_test_e2e"
stripe.api_base = os.environ["STRIPE_API_BASE"]
stripe.api_version = os.environ["STRIPE_API_VERSION"]


def start_invoiced(customer_id):
    return stripe.Subscription.create(customer=customer_id, billing="send_invoice", days_until_due=14)


def invoiced_subscriptions():
    found = stripe.Subscription.list(billing="send_invoice", limit=10)
    return sorted(sub.id for sub in found.auto_paging_iter())


def switch_to_card(subscription_id):
    subscription = stripe.Subscription.retrieve(subscription_id, expand=["latest_invoice"])
    if subscription["billing"] == "send_invoice":
        stripe.Subscription.modify(subscription_id, billing="charge_automatically")
    return subscription.latest_invoice.billing


def on_event(event):
    if event.type == "customer.subscription.updated":
        return event.data.object.billing, "billing" in event.data.previous_attributes
    return None


cus = stripe.Customer.create(email="ivy@example.com")
first = start_invoiced(cus.id)
second = stripe.Subscription.create(customer=cus.id)
print(first.billing, second.billing, invoiced_subscriptions() == [first.id])
print(switch_to_card(first.id), stripe.Subscription.retrieve(first.id).billing)
event = stripe.Event.construct_from({
    "id": "evt_1", "object": "event", "type": "customer.subscription.updated",
    "data": {"object": {"id": first.id, "object": "subscription", "billing": "charge_automatically"},
             "previous_attributes": {"billing": "send_invoice"}},
}, stripe.api_key)
print(on_event(event))
