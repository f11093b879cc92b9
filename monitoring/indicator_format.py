"""How indicator figures are written in the interface: «62,5 %», «5 из 8 школ», «−3,2 п. п.».

Undefined values are «нет данных», never 0 (domain.md).
"""

from django.utils.translation import gettext as _

NO_DATA = "нет данных"
WITHHELD = "менее 5 педагогов — значение не публикуется"


def decimal_comma(number: float, places: int = 1) -> str:
    return f"{number:.{places}f}".replace(".", ",").replace("-", "−")


def percent(value: float | None) -> str:
    """A share from 0 to 1 as «62,5 %»."""
    if value is None:
        return _(NO_DATA)
    return f"{decimal_comma(value * 100)} %"


def points(change: float | None) -> str:
    """A change of a share in percentage points, with its sign: «+2,5 п. п.», «−3,0 п. п.»."""
    if change is None:
        return _(NO_DATA)
    text = decimal_comma(abs(change) * 100)
    if round(change * 1000) == 0:
        return f"0,0 {_('п. п.')}"
    sign = "+" if change > 0 else "−"
    return f"{sign}{text} {_('п. п.')}"


def plural(number: int, one: str, few: str, many: str) -> str:
    """The Russian plural form for a number: 1 договор, 2 договора, 5 договоров."""
    number = abs(number)
    if number % 10 == 1 and number % 100 != 11:
        return one
    if 2 <= number % 10 <= 4 and not 12 <= number % 100 <= 14:
        return few
    return many


def after_iz(number: int, singular_genitive: str, plural_genitive: str) -> str:
    """The noun after «из N»: из 1 школы, из 21 школы, из 2 школ, из 11 школ."""
    if number % 10 == 1 and number % 100 != 11:
        return singular_genitive
    return plural_genitive


# What the numerator and denominator of each indicator count, in the genitive after «из».
COUNTED = {
    "IND-1": ("школы", "школ"),
    "IND-2": ("педагога", "педагогов"),
    "IND-3": ("участника", "участников"),
    "IND-4": ("педагога", "педагогов"),
    "IND-5": ("педагога", "педагогов"),
    "IND-6": ("школы", "школ"),
    "IND-7": ("школы", "школ"),
    "IND-9": ("школы", "школ"),
}

# Some denominators are not simply «all target schools / teachers»: said in words.
DENOMINATOR_NOTE = {
    "IND-3": "результатов «2» из участников оценочных процедур",
    "IND-5": "с повторной диагностикой",
    "IND-6": "с сопоставимыми результатами за два года",
}


# Why a share is undefined, when its denominator is 0.
EMPTY_DENOMINATOR = {
    "IND-1": "нет целевых школ",
    "IND-2": "нет педагогов в штатных списках целевых школ",
    "IND-3": "нет результатов оценочных процедур",
    "IND-4": "нет педагогов в штатных списках целевых школ",
    "IND-5": "нет педагогов с повторной диагностикой",
    "IND-6": "нет школ с сопоставимыми результатами за два года",
    "IND-7": "нет целевых школ",
    "IND-9": "нет целевых школ",
}


def count_words(code: str, numerator: int | None, denominator: int | None) -> str:
    """The numerator and denominator in words: «5 из 8 школ», «договоров вступили в силу»."""
    if code == "IND-8":
        if numerator is None:
            return _(NO_DATA)
        return plural(
            numerator,
            _("договор вступил в силу за год"),
            _("договора вступили в силу за год"),
            _("договоров вступили в силу за год"),
        )
    if not denominator:
        return _(EMPTY_DENOMINATOR[code])
    singular, many = COUNTED[code]
    text = f"{numerator} из {denominator} {after_iz(denominator, singular, many)}"
    if code == "IND-3":
        return _("%(failed)s «2» из %(total)s %(noun)s") % {
            "failed": numerator,
            "total": denominator,
            "noun": after_iz(denominator, singular, many),
        }
    note = DENOMINATOR_NOTE.get(code)
    return f"{text} {note}" if note else text


def value_text(code: str, value: float | None) -> str:
    if value is None:
        return _(NO_DATA)
    if code == "IND-8":
        return str(int(value))
    return percent(value)


def target_text(code: str, target: float | None) -> str:
    if target is None:
        return ""
    if code == "IND-8":
        count = int(target)
        return _("не менее %(count)s %(noun)s") % {
            "count": count,
            "noun": plural(count, "договора", "договоров", "договоров"),
        }
    return percent(target)
