"""Findings as dicts with the keys of pipeline.findings.Finding, and their one-sentence messages.

Amounts print the Swedish way: "129 530 375 kr", "1,50 kr" (öre to two decimals, as on a
payment); a table's total row is named as it is printed ("Riket", "Summa", "Totalt").
"""

from __future__ import annotations

import math
from typing import Any

FINDING_KEYS = ("check", "severity", "message", "table", "scb_code", "measure", "unit",
                "expected", "observed", "difference", "tolerance", "source_file", "page", "row",
                "code", "related")
# What each check's expected, observed and difference count.
CHECK_UNITS = {"cross_footing": "kr", "footing": "kr", "amounts": "kr", "allocation_key": "kr",
               "formats_agree": "kr", "coverage": "count", "shares": "%", "share_rates": "%",
               "share_of_total": "kr", "population_key": "kr", "stated_total": "kr"}
# How a table of each kind is named in a sentence: the word, never the id ("lan", "other").
TABLE_WORDS = {"region": "region table", "kommun": "kommun table", "lan": "län table",
               "other": "table of other recipients"}


def fmt_kr(value: float | None) -> str:
    """An amount the Swedish way: space thousands separators, decimal comma, "kr"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "no amount"
    rounded = round(abs(value), 2)
    whole = int(rounded)
    sign = "-" if value < 0 and rounded else ""
    text = f"{whole:,}".replace(",", " ")
    frac = f"{rounded - whole:.2f}"[2:]
    return f"{sign}{text}{',' + frac if frac != '00' else ''} kr"


def fmt_count(count: int) -> str:
    """A count with space thousands separators ("1 560")."""
    return f"{int(count):,}".replace(",", " ")


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 row', '2 rows'; with many, an irregular plural ('1 kommun', '2 kommuner')."""
    return f"{fmt_count(count)} {word if count == 1 else (many or word + 's')}"


def in_words(items: list) -> str:
    """Items as a sentence lists them: "289 and 290", "3, 7 and 12"."""
    texts = [fmt_count(i) if isinstance(i, int) else str(i) for i in items]
    return texts[0] if len(texts) == 1 else f"{', '.join(texts[:-1])} and {texts[-1]}"


def table_name(kind: str | None) -> str:
    """A table kind as a sentence names it: "län table", never the id "lan"."""
    return TABLE_WORDS.get(kind or "", f"{kind or 'allocation'} table")


def _num(value: Any) -> int | float | None:
    """A JSON-friendly number: whole values as int, others to two decimals, NaN as None."""
    if value is None:
        return None
    value = float(value)
    if math.isnan(value) or math.isinf(value):
        return None
    return int(value) if value == int(value) else round(value, 2)


def _total_row(row: dict) -> str:
    """The table's total row as printed ("its Summa row"), "its total row" when unnamed."""
    label = " ".join(str(row.get("total_label") or "").split())
    return f"its {label} row" if label else "its total row"


def _where(table: str | None) -> str:
    return f"the {table_name(table)}"


def _apart(row: dict, severity: str) -> str:
    gap = fmt_kr(abs(row["difference"]))
    bound = fmt_kr(row["tolerance"])
    if not row["tolerance"]:
        return f"{gap} apart"
    if severity == "error":
        return f"{gap} apart, beyond the {bound} rounding bound"
    return f"{gap} apart, which is rounding: within the {bound} bound"


def finding(check: str, severity: str, message: str, row: dict, **override: Any) -> dict:
    """A finding dict for one check-frame row; fields not in the row are None."""
    code = row.get("code") or None
    scb = row.get("scb_code")
    out = {
        "check": check, "severity": severity, "message": message,
        "table": row.get("table"), "scb_code": scb, "measure": row.get("measure"),
        "unit": CHECK_UNITS.get(check), "related": None,
        "expected": _num(row.get("expected")), "observed": _num(row.get("observed")),
        "difference": _num(row.get("difference")), "tolerance": _num(row.get("tolerance")),
        "source_file": row.get("source_file"),
        "page": None if row.get("page") is None else int(row["page"]),
        "row": None if row.get("row_index") is None else int(row["row_index"]),
        "code": code if code != scb else None,
    }  # fmt: skip
    out.update(override)
    return {k: out[k] for k in FINDING_KEYS}


def _the_amounts(terms: int | None, what: str, where: str, verb: str = "sum to",
                 one: str = "is") -> str:
    """"The 21 Traumavård amounts in the region table sum to", "The one … is", "No …"."""
    if terms is None:
        return f"The {what}s in {where} {verb}"
    if int(terms) == 0:
        return f"No recipient {what} is printed in {where}, so its recipients {verb}"
    if int(terms) == 1:
        return f"The one {what} in {where} {one}"
    return f"The {plural(int(terms), what)} in {where} {verb}"


def _sum_against(parts: str, total: str, row: dict, severity: str) -> str:
    """"<parts, with their verb> <expected> but <total> <observed>: <how far apart>." """
    return (f"{parts} {fmt_kr(row['expected'])} but {total} "
            f"{fmt_kr(row['observed'])}: {_apart(row, severity)}.")


def cross_footing(rule: str, severity: str, row: dict) -> dict:
    name = row.get("label") or row.get("scb_code") or "A row"
    message = _sum_against(f"{name}'s amounts in {_where(row['table'])} sum to",
                           f"its {row['measure']} is", row, severity)
    return finding("cross_footing", severity, message, row)


def footing(rule: str, severity: str, row: dict) -> dict:
    where, measure = _where(row["table"]), row["measure"]
    if rule == "riket":
        message = (f"{where.capitalize()}: {_total_row(row)} prints no value for {measure}, "
                   f"so its column sum of {fmt_kr(row['expected'])} could not be checked.")
    else:
        message = _sum_against(_the_amounts(row.get("terms"), f"{measure} amount", where),
                               f"{_total_row(row)} says", row, severity)
    return finding("footing", severity, message, row)


def coverage(rule: str, severity: str, row: dict) -> dict:
    where, code = _where(row["table"]), row["row_key"]
    count = int(row["observed"])
    if rule == "known":
        message = (f"Code {code} ({row.get('label')}) in {where} is not one of the "
                   f"{row['reference_size']} official codes.")
    elif count == 0:
        message = f"{where.capitalize()} has no row for code {code}, which must appear once."
    else:
        times = "once" if count == 1 else f"{fmt_count(count)} times"
        rows = sorted(row.get("rows") or [])
        printed = f" (rows {in_words(rows)})" if rows else ""
        message = (f"Code {code} appears {times} in {where}{printed} "
                   f"but must appear exactly once.")
    return finding("coverage", severity, message, row,
                   difference=None if rule == "known" else count - 1)


def amounts(rule: str, severity: str, row: dict) -> dict:
    name = row.get("label") or row.get("scb_code") or "a row"
    cell = f"The {row['measure']} amount of {name} in {_where(row['table'])}"
    if rule == "present":
        message = f"{cell} is empty, though every cell must hold an amount."
    elif rule == "non_negative":
        message = f"{cell} is negative ({fmt_kr(row['observed'])}); a grant cannot be."
    else:
        message = f"{cell} is {fmt_kr(row['observed'])}, not a whole number of kronor."
    return finding("amounts", severity, message, row)


def _key_partner(row: dict) -> str:
    """The other cell a key ties this one to, as a phrase."""
    printed = fmt_kr(row.get("x_printed"))
    if row.get("x_summed"):
        terms = int(row.get("x_terms") or 0)
        whose = "its one kommun's" if terms == 1 else \
            f"the sum of its {plural(terms, 'kommun', 'kommuner')}'s"
        return f"{whose} {row['x_measure']} in the kommun table ({printed})"
    place = "its" if row.get("x_scb_code") == row.get("scb_code") else f"{row.get('x_label')}'s"
    where = _where(row["x_table"])
    if row.get("x_source_file") and row.get("x_source_file") != row.get("source_file"):
        where += f" of {row['x_source_file']}"
    return f"{place} {row['x_measure']} in {where} ({printed})"


def _related(row: dict) -> list[dict] | None:
    """The other cell of a key between two columns, for the report and the diagnosis."""
    if not row.get("x_measure") or not row.get("x_table"):
        return None
    return [{"table": row["x_table"], "scb_code": row.get("x_scb_code"),
             "measure": row["x_measure"], "source_file": row.get("x_source_file"),
             "page": None if row.get("x_page") is None else int(row["x_page"]),
             "printed": _num(row.get("x_printed")),
             "terms": None if row.get("x_terms") is None else int(row["x_terms"]),
             "summed": bool(row.get("x_summed"))}]


def allocation_key(rule: str, severity: str, row: dict) -> dict:
    name = row.get("label") or row.get("scb_code")
    own = f"{name}'s {row['measure']} in {_where(row['table'])} is {fmt_kr(row['observed'])}"
    key = f"the key the other rows follow ({row['description']})"
    if _related(row) is None:
        message = (f"{own}, but {key} gives {fmt_kr(row['expected'])}: "
                   f"{_apart(row, severity)}.")
    else:
        message = (f"{own}, but {_key_partner(row)} gives {fmt_kr(row['expected'])} under "
                   f"{key}: {_apart(row, severity)}.")
    if row.get("blamed_sum") and severity != "info":
        message += (" This amount agrees with the other columns the key ties, so a kommun "
                    "amount of the län (or a missing kommun) is the likelier error.")
    return finding("allocation_key", severity, message, row, related=_related(row))


def key_found(key) -> dict:
    """An info finding per key found in the numbers: the report lists them with their fit."""
    n, broken = len(key.rows), len(key.breaks)
    holds = f"holds on {fmt_count(n - broken)} of {plural(n, 'row')}" + (
        f", broken by {', '.join(key.breaks)}" if broken else "")
    message = (f"Allocation key found in the numbers of {key.dependent.source_file}: "
               f"{key.description}; it {holds}.")
    row = {"table": key.dependent.table, "measure": key.dependent.measure,
           "source_file": key.dependent.source_file}
    related = None
    if key.independent is not None:
        related = [{"table": key.independent.table, "scb_code": None,
                    "measure": key.independent.measure,
                    "source_file": key.independent.source_file, "page": None,
                    "printed": None, "terms": None, "summed": key.independent.summed}]
    return finding("allocation_key", "info", message, row, related=related)


def untied_column(column) -> dict:
    """An info finding for a column no key found in the numbers ties to another."""
    message = (f"No allocation key found in the numbers ties {column.measure} in "
               f"{_where(column.table)} of {column.source_file} to another column, so only "
               "its sums check it.")
    return finding("allocation_key", "info", message, {
        "table": column.table, "measure": column.measure, "source_file": column.source_file})


def formats_agree(rule: str, severity: str, row: dict) -> dict:
    name = row.get("label") or row.get("scb_code")
    cell = f"the {row['measure']} amount of {name} in {_where(row['table'])}"
    ref, other = row["reference_file"], row["other_file"]
    if rule == "in_reference":
        message = f"{other} prints {cell} as {fmt_kr(row['observed'])} but {ref} has no such cell."
    elif rule == "in_other":
        message = f"{ref} prints {cell} as {fmt_kr(row['expected'])} but {other} has no such cell."
    else:
        message = (f"{ref} prints {cell} as {fmt_kr(row['expected'])} but {other} prints "
                   f"{fmt_kr(row['observed'])}: {_apart(row, severity)}.")
    return finding("formats_agree", severity, message, row)


BUILDERS = {
    "cross_footing": cross_footing, "footing": footing, "coverage": coverage,
    "amounts": amounts, "allocation_key": allocation_key, "formats_agree": formats_agree,
}  # fmt: skip
