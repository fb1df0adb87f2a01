"""Validation suites (great-expectations 1.x) over normalized allocation tables.

Suites know tables, not documents: they never import `pipeline` or `extractors`.
"""
