"""Findings: every problem the pipeline reports, as data with its place in the documents.

The types live in the shared model module (``model.py``); this name stays for the modules
that import them from here.
"""

from model import SEVERITIES, Finding, count_by_severity, sort_findings

__all__ = ["SEVERITIES", "Finding", "count_by_severity", "sort_findings"]
