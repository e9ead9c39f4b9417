"""stripe-codemod: migrate Stripe Customer `account_balance` to `balance`, provably."""
__version__ = "0.1.0"
