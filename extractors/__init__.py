"""Document readers: each module turns one file format into normalized allocation tables.

Extractors know documents, not checks: they never import `pipeline` or `expectations`.
"""

from extractors.deferred import defer_aes

defer_aes()  # before any reader imports pdfminer (see extractors/deferred.py)
