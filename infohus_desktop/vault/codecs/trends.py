"""The JSON form of a trend note's encrypted payload: title, area, description and the kinds
of sources. The codes and dates are columns of their own (``vault/trend_schema.py``)."""

from __future__ import annotations

from typing import Any

from infohus_desktop.domain.errors import TamperedData
from infohus_desktop.domain.trends import AreaKind, Development, SourceKind, TrendContent
from infohus_desktop.vault.trend_schema import TrendNoteRow


def payload_to_json(content: TrendContent) -> dict[str, Any]:
    return {
        "title": content.title,
        "area": content.area,
        "description": content.description,
        "sources": [kind.value for kind in content.source_kinds],
    }


def content_from_row(row: TrendNoteRow, payload: dict[str, Any]) -> TrendContent:
    """The note as typed, from its clear columns and decrypted payload."""
    try:
        return TrendContent(
            title=str(payload["title"]),
            period_from=row.period_from,
            period_to=row.period_to,
            area_kind=AreaKind(row.area_kind),
            area=str(payload.get("area", "")),
            theme=row.theme,
            description=str(payload.get("description", "")),
            source_kinds=tuple(SourceKind(code) for code in payload.get("sources", [])),
            development=Development(row.development),
            follow_up=row.follow_up,
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise TamperedData(
            "Tendensnotatet kan ikke læses.", "The trend note cannot be read."
        ) from exc


def apply_columns(row: TrendNoteRow, content: TrendContent) -> None:
    """Copy the clear codes and dates of ``content`` onto ``row``."""
    row.theme = content.theme
    row.development = content.development.value
    row.area_kind = content.area_kind.value
    row.period_from = content.period_from
    row.period_to = content.period_to
    row.follow_up = content.follow_up
