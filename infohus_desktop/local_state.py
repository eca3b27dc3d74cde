"""State kept on this workstation, outside any vault: pinned root fingerprints, the default
vault, and the append-only audit checkpoint files.

The directory is ``INFOHUS_HOME`` if set, else the platform's user data directory. Nothing here
is personal data about citizens; a PostgreSQL URL is stored without its password.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from infohus_desktop.private_files import make_private_dir, private_temp_file

if TYPE_CHECKING:
    import uuid  # annotations only: uuid (and platform) are not needed to draw the unlock screen

APP_NAME = "InfohusDesktop"


def home_dir() -> Path:
    configured = os.environ.get("INFOHUS_HOME")
    path = Path(configured) if configured else Path(platformdirs.user_data_dir(APP_NAME, False))
    return make_private_dir(path)


def default_vault_path() -> Path:
    return home_dir() / "vaults" / "infohus.sqlite"


def demo_vault_path() -> Path:
    """Where the window's "Prøv demoboksen" and ``infohus demo`` without ``--vault`` build
    the demo vault; the unlock screen lists the demo's passphrases for this file only."""
    return home_dir() / "vaults" / "demo.sqlite"


def atomic_write(path: Path, data: bytes, durable: bool = True) -> None:
    """Temp file in the same directory, 0600 from the start, fsync, then rename; missing
    folders are made 0700. ``durable=False`` skips the fsync, for a file that is only a
    cache: after a crash it may be old, empty or missing, so its reader must treat anything
    it cannot use as absent."""
    make_private_dir(path.parent)
    fd, tmp = private_temp_file(path.parent, f".{path.name}.", ".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@dataclass(slots=True)
class VaultPin:
    vault_id: uuid.UUID
    root_fingerprint: str
    location: str
    checkpoints_written: bool = False
    #: The highest vault format seen here: a lower one later is a downgrade or an old copy.
    format_version: int = 1


class LocalState:
    """``settings.json`` in the home directory, re-read on every access (several processes)."""

    def __init__(self, home: Path | None = None) -> None:
        self.home = home or home_dir()

    @property
    def settings_path(self) -> Path:
        return self.home / "settings.json"

    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.settings_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _save(self, data: dict[str, Any]) -> None:
        atomic_write(self.settings_path, json.dumps(data, indent=2, sort_keys=True).encode())

    def pin(self, vault_id: uuid.UUID) -> VaultPin | None:
        raw = self._load().get("vaults", {}).get(str(vault_id))
        if not isinstance(raw, dict):
            return None
        return VaultPin(
            vault_id,
            str(raw.get("root_fingerprint", "")),
            str(raw.get("location", "")),
            bool(raw.get("checkpoints_written", False)),
            int(raw.get("format_version", 1)),
        )

    def save_pin(self, pin: VaultPin) -> None:
        data = self._load()
        data.setdefault("vaults", {})[str(pin.vault_id)] = {
            "root_fingerprint": pin.root_fingerprint,
            "location": pin.location,
            "checkpoints_written": pin.checkpoints_written,
            "format_version": pin.format_version,
        }
        self._save(data)

    def forget_pin(self, vault_id: uuid.UUID) -> None:
        """Forget a vault this workstation was about to know (a restore that failed)."""
        data = self._load()
        if data.get("vaults", {}).pop(str(vault_id), None) is not None:
            self._save(data)

    def default_vault_url(self) -> str | None:
        value = self._load().get("default_vault")
        return value if isinstance(value, str) else None

    def set_default_vault_url(self, url: str) -> None:
        """Saved without any password, whoever calls (vault/server_address.py)."""
        from infohus_desktop.vault.server_address import without_password

        data = self._load()
        data["default_vault"] = without_password(url)
        self._save(data)

    def get(self, key: str, default: Any = None) -> Any:
        return self._load().get("preferences", {}).get(key, default)

    def set(self, key: str, value: Any) -> None:
        data = self._load()
        data.setdefault("preferences", {})[key] = value
        self._save(data)

    def checkpoint_file(self, vault_id: uuid.UUID) -> Path:
        return self.home / "checkpoints" / f"{vault_id}.jsonl"

    def workstation(self) -> str:
        import socket  # here: its import (and enums) cost the unlock screen 1-2 ms (issue 17)

        return socket.gethostname()[:64] or "unknown"
