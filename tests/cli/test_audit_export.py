"""The CSV audit export cannot carry a formula into a spreadsheet."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from bot import commands
from bot.export import spreadsheet_safe
from bot.settings import parse_config
from bot.storage import Store

HOSTILE = ['=HYPERLINK("http://x","klik")', "+62 811", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1"]


@pytest.mark.parametrize("value", HOSTILE)
def test_cells_that_a_spreadsheet_would_compute_are_neutralised(value: str):
    assert spreadsheet_safe(value) == "'" + value


@pytest.mark.parametrize("value", ["-1001001", "42", "+5", "-3.5", "Pemilu", "", None, 7])
def test_numbers_and_text_are_kept(value):
    assert spreadsheet_safe(value) == value


def test_the_csv_export_neutralises_hostile_names_and_details(tmp_path):
    config = parse_config({"database": f"sqlite:///{tmp_path / 'bot.db'}"})
    store = Store(config.database)
    for number, value in enumerate(HOSTILE):
        store.record_audit(
            user_id=number,
            user_name=value,
            chat_id=-1001001,
            action="jeda",
            detail=value,
            now=datetime.now(UTC),
        )
    store.close()
    out = io.StringIO()
    assert commands.audit(config, since=None, fmt="csv", out=out) == 0
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) == len(HOSTILE)
    for row in rows:
        assert all(
            not cell or cell[0] not in "=+-@\t\r" or cell == row["chat"] for cell in row.values()
        )
        assert row["detail"].startswith("'") and row["detail"][1:] in HOSTILE
        assert row["chat"] == "-1001001"
