"""stripe-codemod: migrate Python code to Stripe API 2019-10-17, only where the code proves it is Stripe data."""
__version__ = "0.1.0"
