"""The report's words: a title and a glossary line per check, labels, Swedish numbers, plurals."""

from __future__ import annotations

NBSP = "\u00a0"
MINUS = "\u2212"

# check id: (section title, what the check verifies, in one line for the glossary)
CHECKS: dict[str, tuple[str, str]] = {
    "cross_footing": ("Row sums", "a row's amounts add up to its printed row total "
                      "(Totalt belopp)"),
    "footing": ("Column sums", "a column's recipient amounts add up to its printed total row "
                "(Riket, Totalt or Summa)"),
    "coverage": ("Recipients covered", "every kommun, region or län appears exactly once "
                 "in a table meant to list them all"),
    "allocation_key": ("Allocation keys", "columns that share a key (one column a fixed "
                       "multiple of another, a region the sum of its kommuner) hold to it"),
    "population_key": ("Population key", "amounts follow the printed population, as the "
                       "decision's key says"),
    "formats_agree": ("PDF and DOCX agree", "the same table printed in two documents holds "
                      "the same amounts"),
    "shares": ("Shares sum to 100 %", "a column of percentages adds up to 100 % within its "
               "printed precision"),
    "share_of_total": ("Amounts match their shares", "each amount is its printed share of "
                       "the total"),
    "amounts": ("Amounts are whole and positive", "every amount is a whole, non-negative "
                "number of kronor"),
    "stated_total": ("Totals stated in the text", "an amount written in words or in a text "
                     "table agrees with its parts and with the tables"),
    "unplaced_statement": ("Amounts not reconciled", "an amount in the text that no table "
                           "or other total could be matched to, said so rather than dropped"),
    "code_name": ("Code and name disagree", "a printed code belongs to the printed name"),
    "unresolved_name": ("Names not resolved", "a printed name could not be mapped to an SCB "
                        "code with confidence"),
    "override_used": ("Names pinned by hand", "a name mapped by the overrides file"),
    "unreadable_document": ("Documents not read", "a document that could not be opened"),
    "unrecognised_file": ("Files not read", "a file in the case folder that is no PDF, DOCX, "
                          "HTML, TXT or MD"),
    "nothing_to_check": ("Documents with nothing to check", "a document without allocation "
                         "table or amount in its text"),
    "unread_table": ("Money not read", "a table or list that prints money but could not be "
                     "read as a table or statements"),
    "unchecked_amounts": ("Money not checked", "amounts read that no check covered"),
    "not_reconciled": ("Tables without money", "a table read whose columns hold no money "
                       "(counts, shares), so nothing in it is reconciled"),
    "missing_header": ("Columns without header", "a column of amounts with no printed header"),
    "missing_amount": ("Blank cells", "a cell left blank where an amount belongs"),
    "unparsed_amount": ("Amounts not parsed", "a cell that looks like money but does not "
                        "read as a number"),
    "unparsed_number": ("Numbers not parsed", "a cell that looks like a number but does not "
                        "read as one"),
    "unparsed_row": ("Rows without recipient", "a row with amounts but no code or name"),
    "odd_digit_grouping": ("Odd digit grouping", "an amount whose digit groups are not groups "
                           "of three, read by its digits"),
    "footnote_mark": ("Footnote marks", "a mark printed beside an amount"),
    "no_number": ("Marks instead of numbers", "a cell printing a mark ('..', '–') instead of "
                  "an amount"),
    "subtotal_unchecked": ("Subtotals not checked", "a subtotal row whose parts could not be "
                           "told"),
    "unplaced_header": ("Header text over no column", "header words that could not be put over "
                        "any column"),
    "unplaced_text": ("Text inside a table", "text inside a table that belongs to no cell"),
    "unknown_table_kind": ("Tables of unknown kind", "a table whose recipients are neither "
                           "kommuner, regioner nor län"),
    "no_text_layer": ("Pages without text", "a page with no text layer (a scan)"),
    "decoder_warning": ("Damaged data", "a page or line the decoder could only read with "
                        "warnings (a damaged stream, another encoding)"),
    "implausible_amount": ("Implausible amounts", "a cell beyond max_amount_sek, not read as "
                           "an amount"),
    "truncated_table": ("Tables cut short", "a table without total row in a document whose "
                        "other tables close with one"),
}

# Decision metadata keys as the report labels them.
METADATA_LABELS = {
    "title": "title", "decision_date": "decision date", "date": "date",
    "decision_number": "decision number", "number": "number", "diarienummer": "diarienummer",
    "agreement_diarienummer": "agreement's diarienummer", "document_kind": "kind of document",
    "issuer": "issued by", "recipient": "addressed to",
}
# The stated-totals table's result words.
RESULTS = {"agrees": "agrees", "contradicts": "contradicts", "unverified": "not verified",
           "unplaced": "not matched to any table or total"}


def title(check: str) -> str:
    return CHECKS.get(check, (check.replace("_", " ").capitalize(), ""))[0]


def glossary(check: str) -> str:
    return CHECKS.get(check, ("", ""))[1]


def metadata_label(key: str) -> str:
    return METADATA_LABELS.get(key, key.replace("_", " "))


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 note', '2 notes'; with many, an irregular plural ('1 kommun', '2 kommuner')."""
    return f"{number(count)} {word if count == 1 else (many or word + 's')}"


def number(value, decimals: int | None = None) -> str:
    """A number the Swedish way: no-break-space thousands, decimal comma, a real minus sign."""
    if value is None:
        return "–"
    x = float(value)
    if decimals is None:
        x = round(x, 3)
        decimals = 0 if x == int(x) else len(f"{x:.3f}".rstrip("0").split(".")[1])
    text = f"{abs(x):,.{decimals}f}".replace(",", NBSP).replace(".", ",")
    return (MINUS if x < 0 and float(text.replace(NBSP, "").replace(",", ".")) else "") + text


def kr(value) -> str:
    """An amount the Swedish way: 129 530 375 kr; öre shown only when printed (0,50 kr)."""
    if value is None:
        return "–"
    x = round(float(value), 2)
    return f"{number(x, 0 if x == int(x) else 2)}{NBSP}kr"


def with_unit(value, unit: str | None) -> str:
    """A finding's number in its unit: kronor, percent, or a count."""
    if value is None:
        return "–"
    if unit == "kr":
        return kr(value)
    if unit == "%":
        return f"{number(value)}{NBSP}%"
    if unit in (None, "count"):
        return number(value)
    return f"{number(value)}{NBSP}{unit}"
