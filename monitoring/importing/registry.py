from django.utils.translation import gettext as _

from .base import ImportKind
from .facts import DiagnosticsImport, ResultsImport, StaffImport, SupportImport
from .schools import SchoolsImport, StatusesImport

# The kinds of `import_monitoring KIND FILE`, in the order a department loads them.
KINDS: dict[str, type[ImportKind]] = {
    SchoolsImport.code: SchoolsImport,
    StatusesImport.code: StatusesImport,
    ResultsImport.code: ResultsImport,
    StaffImport.code: StaffImport,
    DiagnosticsImport.code: DiagnosticsImport,
    SupportImport.code: SupportImport,
}


def get_kind(code: str) -> ImportKind:
    try:
        return KINDS[code]()
    except KeyError:
        known = ", ".join(KINDS)
        raise ValueError(
            _("Неизвестный вид данных «%(code)s». Доступны: %(known)s.")
            % {"code": code, "known": known}
        ) from None
