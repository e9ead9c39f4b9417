"""Invoices through a StripeClient: created and listed by collection method, due dates read."""
import os

import stripe

WRITTEN_FOR = "12.5.1"
EXPECTED_TRANSACTIONS = []

client = stripe.StripeClient(
    "sk_test_e2e", base_addresses={"api": os.environ["STRIPE_API_BASE"]},
    stripe_version=os.environ["STRIPE_API_VERSION"],
)


def bill_by_email(customer_id):
    invoice = client.v1.invoices.create({"customer": customer_id, "billing": "send_invoice", "days_until_due": 7})
    return invoice.billing, invoice.due_date is not None


def sent_by_email(customer_id):
    listed = client.v1.invoices.list({"customer": customer_id, "billing": "send_invoice"})
    return [getattr(invoice, "billing") for invoice in listed.data]


cus = client.v1.customers.create({"email": "jo@example.com"})
print(bill_by_email(cus.id))
client.v1.invoices.create({"customer": cus.id})
print(sent_by_email(cus.id))
