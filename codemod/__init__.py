"""stripe-codemod: migrate Python code to Stripe API 2019-10-17, only where the code proves it is Stripe data."""
from .compiled_methods import install as _install

__version__ = "0.1.0"
_install()  # LibCST, when it loads, does not compile again what it compiled the last time
