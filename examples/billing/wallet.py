"""The app's own wallet: not Stripe data, even though this module uses Stripe."""
import stripe


class Wallet:
    def __init__(self, account_balance: int = 0) -> None:
        self.account_balance = account_balance

    def top_up(self, amount: int) -> None:
        self.account_balance += amount


def platform_funds(account_id: str):
    account_balance = stripe.Balance.retrieve(stripe_account=account_id)
    return account_balance.available
