"""Every output format, rendered from one :class:`Report` of the run's findings."""
from __future__ import annotations

from .model import Report, ReportFile, Summary

__all__ = ["Report", "ReportFile", "Summary"]
