"""Document readers: each module turns one file format into normalized allocation tables.

Extractors know documents, not checks: they never import `pipeline` or `expectations`.
"""
