"""Keeping an uploaded file on the server between the dry run and the commit.

The user uploads a file once: its bytes are kept under PRIVATE_MEDIA_ROOT (never served), in
a folder of the user's own, named by the file's SHA-256, for a limited time. The commit form names only
that digest; the path is never taken from the client, and a file staged by one user cannot
be committed by another.
"""

import hashlib
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

LIFETIME_SECONDS = 2 * 60 * 60
SHA256_PATTERN = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class StagedFile:
    sha256: str
    kind: str
    filename: str
    data: bytes


def _root() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / "monitoring-imports"


def _folder(user) -> Path:
    return _root() / str(user.pk)


def _paths(user, sha256: str) -> tuple[Path, Path]:
    folder = _folder(user)
    return folder / f"{sha256}.bin", folder / f"{sha256}.json"


def stage(user, kind: str, filename: str, data: bytes) -> str:
    """Keep the file for the commit step; return its SHA-256, the commit form's token."""
    purge_expired(user)
    sha256 = hashlib.sha256(data).hexdigest()
    content, meta = _paths(user, sha256)
    content.parent.mkdir(parents=True, exist_ok=True)
    content.write_bytes(data)
    meta.write_text(
        json.dumps({"kind": kind, "filename": filename, "staged_at": time.time()}),
        encoding="utf-8",
    )
    return sha256


def load(user, sha256: str, kind: str) -> StagedFile | None:
    """The staged file, if it is still there, unchanged, and was staged for this kind."""
    if not SHA256_PATTERN.fullmatch(sha256 or ""):
        return None
    content, meta = _paths(user, sha256)
    try:
        info = json.loads(meta.read_text(encoding="utf-8"))
        data = content.read_bytes()
    except (OSError, ValueError):
        return None
    expired = time.time() - info.get("staged_at", 0) > LIFETIME_SECONDS
    if expired or info.get("kind") != kind or hashlib.sha256(data).hexdigest() != sha256:
        discard(user, sha256)
        return None
    return StagedFile(sha256=sha256, kind=kind, filename=info.get("filename", ""), data=data)


def discard(user, sha256: str) -> None:
    if not SHA256_PATTERN.fullmatch(sha256 or ""):
        return
    for path in _paths(user, sha256):
        path.unlink(missing_ok=True)


def purge_expired(user=None) -> None:
    """Drop staged files older than the lifetime (abandoned dry runs), of every user: each
    upload sweeps, so no scheduled job is needed."""
    root = _folder(user).parent if user is not None else _root()
    if not root.is_dir():
        return
    limit = time.time() - LIFETIME_SECONDS
    for path in root.glob("*/*"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
        except OSError:
            continue
