"""Subscriptions billed by invoice, and the schedules that end them."""
import stripe


def invoiced(subscription_id):
    subscription = stripe.Subscription.retrieve(subscription_id)
    return subscription.billing == "send_invoice", subscription.start


def end_with_schedule(schedule_id):
    stripe.SubscriptionSchedule.modify(schedule_id, renewal_behavior="none")
