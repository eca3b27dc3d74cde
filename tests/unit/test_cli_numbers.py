"""Bounded numbers on the command line: a number outside is refused in one line that names
the range, never with every allowed value listed (``choices=range(1, 91)`` printed ninety)."""

from __future__ import annotations

import pytest

from infohus_desktop.cli import main


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["case", "transfer", "AAR-2026-0001", "--to", "x", "--out", "x.ihb", "--days", "91"],
         "argument --days: skal være et helt tal fra 1 til 90: 91"),
        (["case", "transfer", "AAR-2026-0001", "--to", "x", "--out", "x.ihb", "--days", "en"],
         "argument --days: skal være et helt tal fra 1 til 90: en"),
        (["demo", "--months", "0"], "argument --months: skal være et helt tal fra 1 til 12: 0"),
    ],
)  # fmt: skip
def test_a_number_outside_its_range_is_named_with_the_range(
    args: list[str], said: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("INFOHUS_LANG", raising=False)
    with pytest.raises(SystemExit) as stopped:
        main(args)
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert said in err
    assert "89" not in err  # no list of the allowed values
