"""Numbers in running text group their thousands as the language writes them."""

from __future__ import annotations

from infohus_desktop.ui import i18n


def test_thousands_grouped_by_language() -> None:
    assert i18n.fmt_count(39_205) == "39.205"  # Danish, the default
    assert i18n.fmt_count(1_234_567) == "1.234.567"
    assert i18n.fmt_count(7) == "7"
    i18n.set_language("en")
    assert i18n.fmt_count(39_205) == "39,205"
