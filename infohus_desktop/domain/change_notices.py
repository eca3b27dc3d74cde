"""The notice one workstation sends the others when it commits a change on a district server.

A notice is a :class:`~infohus_desktop.domain.changes.Changes` put into words small enough for
PostgreSQL's ``NOTIFY`` (payloads under 8000 bytes): the areas, the ids of the changed
objects, when, the sending unlock's random id, and the member's id sealed so that only members
can read it. Never content: no name, no number, no text. Everything the server's operator (or
anyone who can ``LISTEN`` on the database) sees of it is ids they already see in the rows that
changed, and a time.

Anyone who can write to the database can also send a notice, so :func:`decode_notice` trusts
nothing: a malformed notice is dropped, and a good one only makes a screen reload or offer to.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

from infohus_desktop.domain.changes import MAX_OBJECTS, Area, ChangeOrigin, Changes

#: The one channel of a vault's database (a database holds one vault).
CHANNEL = "infohus_changes"
#: PostgreSQL refuses payloads of 8000 bytes or more; keep well below.
MAX_PAYLOAD = 7900
VERSION = 1
_MAX_TOKEN = 200  # a sealed member id is about 82 characters; a session id 32


def _is_row_id(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value
    except ValueError:
        return False


def encode_notice(changes: Changes, session: str, sealed_member: str, at: datetime) -> str:
    """Compact JSON; with too many ids for one payload only the areas ("reload"). Only row
    ids (UUIDs) travel: an audit entry whose object is anything else (a login, a number)
    makes the notice say "reload the area" instead of carrying it."""
    body: dict[str, object] = {
        "v": VERSION,
        "s": session,
        "m": sealed_member,
        "t": int(at.timestamp()),
        "a": sorted(area.value for area in changes.areas),
    }
    if changes.objects and all(_is_row_id(o) for o in changes.objects):
        body["o"] = sorted(changes.objects)
    text = json.dumps(body, separators=(",", ":"))
    if len(text.encode()) > MAX_PAYLOAD:
        del body["o"]
        text = json.dumps(body, separators=(",", ":"))
    return text


def decode_notice(payload: str) -> Changes | None:
    """The changes a notice announces, with their origin; None for anything malformed."""
    if len(payload) > MAX_PAYLOAD:  # anyone who may connect may NOTIFY: no more than ours
        return None
    try:
        body = json.loads(payload)
    except (ValueError, RecursionError):  # a few thousand "[" are under the size limit
        return None
    if not isinstance(body, dict) or body.get("v") != VERSION:
        return None
    session, member, at = body.get("s"), body.get("m", ""), body.get("t")
    areas_in, objects_in = body.get("a"), body.get("o", [])
    if not (
        isinstance(session, str)
        and 0 < len(session) <= _MAX_TOKEN
        and isinstance(member, str)
        and len(member) <= _MAX_TOKEN
        and isinstance(at, int)
        and not isinstance(at, bool)
        and isinstance(areas_in, list)
        and isinstance(objects_in, list)
        and len(objects_in) <= MAX_OBJECTS
        and all(isinstance(o, str) and _is_row_id(o) for o in objects_in)
    ):
        return None
    known = {area.value: area for area in Area}
    areas = frozenset(known[a] for a in areas_in if isinstance(a, str) and a in known)
    if not areas:
        return None
    try:
        when = datetime.fromtimestamp(at, UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return Changes(areas, frozenset(objects_in), ChangeOrigin(session, member, when))
