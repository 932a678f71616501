"""``flask tables check`` reports each warning with table, row and rule; its exit code says so."""

from __future__ import annotations

import shutil
from pathlib import Path

from sinorus_learn import create_app

BANK = Path(__file__).resolve().parent.parent / "question_bank"


def test_tables_check_reports_each_warning_and_exits_1(runner) -> None:
    result = runner.invoke(args=["tables", "check"])
    assert result.exit_code == 1
    assert "border_islands\trow Amur\tsum" in result.output
    assert "1,610" in result.output and "1,680" in result.output
    assert "trade_2006\trow China\ttext" in result.output
    assert "2 warning(s)" in result.output


def test_tables_check_exits_0_when_the_tables_agree(tmp_path: Path, database_url: str) -> None:
    shutil.copytree(BANK / "tables", tmp_path / "tables")
    islands = tmp_path / "tables" / "border_islands.tsv"
    islands.write_text(islands.read_text().replace("1,680", "1,610"))
    trade = tmp_path / "tables" / "trade_2006.tsv"
    trade.write_text(trade.read_text().replace("14.37", "15.60").replace("16.22", "17.60"))
    app = create_app(
        {
            "ENV_NAME": "testing",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "QUESTION_BANK_DIR": tmp_path,
        }
    )
    result = app.test_cli_runner().invoke(args=["tables", "check"])
    assert result.exit_code == 0, result.output
    assert "0 warning(s)" in result.output
