"""The stable rule codes, known without loading the rules (and LibCST with them)."""
from __future__ import annotations

CODES = ("SB001", "SB002", "SB100", "SB900")
