"""Monitoring imports: the data exchange formats of domain.md, read from CSV or XLSX.

`run_import(kind, data, filename)` reads a file, validates every row and, only when no row
is bad, applies all of them in one transaction. Kinds register themselves in KINDS.
"""

from .base import (
    DuplicateImportError,
    ImportKind,
    ImportResult,
    RowOutcome,
    rollback_import,
    run_import,
)
from .reader import FileFormatError, read_table
from .registry import KINDS, get_kind

__all__ = [
    "KINDS",
    "DuplicateImportError",
    "FileFormatError",
    "ImportKind",
    "ImportResult",
    "RowOutcome",
    "get_kind",
    "read_table",
    "rollback_import",
    "run_import",
]
