"""pdfminer's AES, imported when a PDF encrypted with AES is first opened instead of at start-up.

pdfminer imports ``cryptography``'s ciphers with its own first import, for the PDFs encrypted
with AES: they bring in cryptography's Rust library, some 9 MB of every process that reads a
PDF (the 2024 case peaked 9 MB lower without them). Few decisions are encrypted, and fewer with
AES (RC4 needs no import). ``defer_aes`` puts stand-ins where pdfminer takes the names from
(``Cipher``, ``algorithms``, ``modes``); the first use of any of them imports the real modules,
and from then on every use goes to them. Nothing else changes: the same classes decrypt.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from typing import Any

CIPHERS = "cryptography.hazmat.primitives.ciphers"
SUBMODULES = (f"{CIPHERS}.algorithms", f"{CIPHERS}.modes")


class StandIn(types.ModuleType):
    """Stands in for one of the cipher modules until something reads from it."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # the import system asking whether it is a package
            raise AttributeError(name)
        return getattr(real_module(self.__name__), name)


class LaterCipher:
    """Stands in for ``Cipher``: calling it (or reading from it) imports the real one."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return real_module(CIPHERS).Cipher(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(real_module(CIPHERS).Cipher, name)


def real_module(name: str) -> types.ModuleType:
    """The real module `name` (one of the cipher modules), imported now if it is not yet;
    every stand-in goes at once, since the real submodules need their real package."""
    if any(isinstance(sys.modules.get(n), StandIn) for n in (CIPHERS, *SUBMODULES)):
        for stand_in in (CIPHERS, *SUBMODULES):
            if isinstance(sys.modules.get(stand_in), StandIn):
                del sys.modules[stand_in]
        for real in (CIPHERS, *SUBMODULES):
            importlib.import_module(real)
    return sys.modules[name]


def defer_aes() -> bool:
    """Put the stand-ins in place unless the ciphers are imported already or cryptography is
    not installed; True when they were put there."""
    if CIPHERS in sys.modules or importlib.util.find_spec("cryptography") is None:
        return False
    package = StandIn(CIPHERS)
    package.Cipher = LaterCipher()
    for name in SUBMODULES:
        sys.modules[name] = StandIn(name)
        setattr(package, name.rpartition(".")[2], sys.modules[name])
    sys.modules[CIPHERS] = package
    return True
