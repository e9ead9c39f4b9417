"""SB100 pins whose date is written in another module: a constant imported from the project, a
module's attribute, or Django's ``settings`` (the project's settings modules)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from codemod.cli import main

FILES = {
    "shop/__init__.py": "",
    "shop/settings.py": 'STRIPE_API_VERSION = "2019-08-14"\nLABEL_DATE = "2018-01-01"\n',
    "shop/config.py": 'API_VERSION = "2018-02-28"\nLEGACY: str = \'2017-08-15\'  # old\nTWICE = "2018-01-01"\nTWICE = "2020-08-27"\n'
                      'CURRENT = "2020-08-27"\n',
    "shop/payments.py": (
        "import stripe\n"
        "from django.conf import settings\n"
        "\n"
        "from shop import config\n"
        "from shop.config import CURRENT, LEGACY, TWICE\n"
        "\n"
        "stripe.api_version = settings.STRIPE_API_VERSION\n"
        "old = stripe.StripeClient('sk_test_x', stripe_version=config.API_VERSION)\n"
        "legacy = stripe.StripeClient('sk_test_x', stripe_version=LEGACY)\n"
        "current = stripe.StripeClient('sk_test_x', stripe_version=CURRENT)\n"
        "unknown = stripe.StripeClient('sk_test_x', stripe_version=TWICE)\n"
        "label = {'date': settings.LABEL_DATE}\n"
    ),
}


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, text in FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_pins_set_from_constants_of_other_modules(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--format", "json", "."]) == 1
    report = json.loads(capsys.readouterr().out)
    found = [(f["path"], g["line"], g["col"], g["message"]) for f in report["files"] for g in f["findings"] if g["code"] == "SB100"]
    older = "is older than 2019-10-17: raise it with the renamed code"
    assert found == [
        ("shop/payments.py", 7, 22, f"API version pin 2019-08-14 {older} (it is set in shop/settings.py line 1)"),
        ("shop/payments.py", 8, 55, f"API version pin 2018-02-28 {older} (it is set in shop/config.py line 1)"),
        ("shop/payments.py", 9, 58, f"API version pin 2017-08-15 {older} (it is set in shop/config.py line 2)"),
    ]
    assert all((tree / name).read_text() == text for name, text in FILES.items()), "a review item changes nothing"
