"""Russian formats, plus ISO dates in forms: teachers paste dates from spreadsheets in both
«21.11.2026» and «2026-11-21» forms."""

from django.conf.locale.ru.formats import *  # noqa: F403
from django.conf.locale.ru.formats import DATE_INPUT_FORMATS as _RU_DATE_INPUT_FORMATS

DATE_INPUT_FORMATS = [*_RU_DATE_INPUT_FORMATS, "%Y-%m-%d"]
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
