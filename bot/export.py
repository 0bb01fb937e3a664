"""Exported tables open safely in a spreadsheet (CSV injection, OWASP).

A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return before one)
is read as a formula by Excel, LibreOffice and Google Sheets: a user name such as
``=HYPERLINK(...)`` would become a live link in the auditor's sheet. Such a cell gets a
leading apostrophe, which spreadsheets show as text. Plain numbers (a chat id -1001234) are
left as they are: they are not formulas.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")


def spreadsheet_safe(value: Any) -> Any:
    """The value, with an apostrophe in front when a spreadsheet would compute it."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.match(value):
        return "'" + value
    return value


def write_csv(rows: Iterable[Mapping[str, Any]], fields: list[str], out: TextIO) -> None:
    writer = csv.DictWriter(out, fieldnames=fields)
    writer.writeheader()
    writer.writerows({k: spreadsheet_safe(v) for k, v in row.items()} for row in rows)
