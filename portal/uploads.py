"""Checking uploaded files by their content, not their name (practices' materials, the
agreements' reports): a teacher's «plan.pdf» that is really HTML or an executable is refused."""

import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_UPLOAD_SIZE = 10 * 1024 * 1024
MAX_FILES = 5

# Office Open XML packages are zip files whose top folder names the kind of document.
OOXML_KINDS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}


def sniff(head: bytes, upload) -> str | None:
    """The real type of an uploaded file, or None when it is not one we accept."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        try:
            upload.seek(0)
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile:
            return None
        finally:
            upload.seek(0)
        if "[Content_Types].xml" in names:
            for prefix, kind in OOXML_KINDS.items():
                if any(name.startswith(prefix) for name in names):
                    return kind
    return None


def validate_upload(upload) -> str:
    """Return the file's extension by content, or raise a ValidationError in Russian."""
    if upload.size > MAX_UPLOAD_SIZE:
        raise ValidationError(
            _("Файл «%(name)s» больше 10 МБ.") % {"name": upload.name}, code="too_large"
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = sniff(head, upload)
    if kind is None:
        raise ValidationError(
            _("Файл «%(name)s» не принят: допустимы PDF, DOCX, XLSX, PPTX, JPG и PNG.")
            % {"name": upload.name},
            code="bad_type",
        )
    return kind
