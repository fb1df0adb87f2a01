"""Issue 18: byte-flipped copies of the 2024 annex never pass with less read than it prints.

Each case holds one copy of the 2024 decision (PDF, or DOCX whose word/document.xml has the
flips) with one to three bits flipped at places a seeded random generator picks. The whole batch
runs through `main(argv)` as a user would run it; every case must end with exit status 0, 1 or
2 and no traceback, and a case may exit 0 ("pass") only when it read at least the 780 amounts
the intact document prints: (21 regions + Riket) x 4 columns + (290 kommuner + Riket) x 2 +
(21 län + Riket) x 5 = 88 + 582 + 110.

`make test` runs a few fixed seeds (PDF seed 0 once read 710 amounts without a warning, seed 6
cut the kommun table short); `make fuzz` sets HOSTILE_FUZZ_SEEDS to run that many of each.
"""

from __future__ import annotations

import io
import json
import os
import random
import zipfile
from pathlib import Path

from tests.test_hostile_outputs import run

ROOT = Path(__file__).resolve().parent.parent
PDF = ROOT / "fixtures" / "cases" / "2024-psykisk-halsa" / "regeringsbeslut-2024-I6.pdf"
DOCX = PDF.with_suffix(".docx")
PRINTED_AMOUNTS = 780  # see the module text
DEFAULT_PDF_SEEDS = (0, 6)
DEFAULT_DOCX_SEEDS = (0,)


def seeds() -> tuple[tuple[int, ...], tuple[int, ...]]:
    many = int(os.environ.get("HOSTILE_FUZZ_SEEDS", "0"))
    if many > 0:
        return tuple(range(many)), tuple(range(many))
    return DEFAULT_PDF_SEEDS, DEFAULT_DOCX_SEEDS


def flipped(data: bytes, seed: int) -> bytes:
    """data with one to three bits flipped at seeded places."""
    rng = random.Random(seed)
    out = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out)


def flipped_docx(data: bytes, seed: int) -> bytes:
    """The DOCX with the flips in its document.xml, zipped again (the zip's checksums would
    otherwise refuse every flip before the XML is read)."""
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            member = source.read(info)
            if info.filename == "word/document.xml":
                member = flipped(member, seed)
            out.writestr(info, member)
    return target.getvalue()


def test_byte_flipped_annexes_never_pass_with_less_read(tmp_path, capfd):
    pdf_seeds, docx_seeds = seeds()
    cases: dict[str, Path] = {}
    for kind, source, chosen, damage in (("pdf", PDF, pdf_seeds, flipped),
                                         ("docx", DOCX, docx_seeds, flipped_docx)):
        for seed in chosen:
            case = tmp_path / "in" / f"{kind}-{seed}"
            case.mkdir(parents=True)
            (case / source.name).write_bytes(damage(source.read_bytes(), seed))
            cases[case.name] = case
    status = run(*cases.values(), "--out", tmp_path / "out")
    err = capfd.readouterr().err
    assert "Traceback" not in err
    assert status in (0, 1, 2)
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    ended = {entry["case"]: entry for entry in summary["cases"]}
    assert sorted(ended) == sorted(cases)
    wrong = [(name, e["status"], e["allocation_rows"]) for name, e in ended.items()
             if e["exit_status"] not in (0, 1, 2)
             or (e["exit_status"] == 0 and e["allocation_rows"] < PRINTED_AMOUNTS)]
    assert wrong == []
