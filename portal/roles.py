"""The portal's roles (domain.md, «People and what they may do») and the questions views ask
about them. Roles are Django groups created by a data migration; code asks these functions
rather than comparing group names itself."""

TEACHER = "Учитель"
SCHOOL_HEAD = "Руководитель ОО"
METHODOLOGIST = "Методист"
ADMINISTRATOR = "Администратор"

ROLE_NAMES = (TEACHER, SCHOOL_HEAD, METHODOLOGIST, ADMINISTRATOR)


def _group_names(user) -> set[str]:
    # Cached on the user object: templates and views ask several times per request.
    if not hasattr(user, "_portal_role_names"):
        user._portal_role_names = set(user.groups.values_list("name", flat=True))
    return user._portal_role_names


def has_role(user, role: str) -> bool:
    return bool(user and user.is_authenticated and role in _group_names(user))


def is_administrator(user) -> bool:
    return bool(
        user and user.is_authenticated and (user.is_superuser or has_role(user, ADMINISTRATOR))
    )


def is_methodologist(user) -> bool:
    """Methodologists and administrators see all data and act for the whole municipality."""
    return is_administrator(user) or has_role(user, METHODOLOGIST)


def is_head_of(user, school) -> bool:
    """The head of this school: the role, and a confirmed membership of the school."""
    return (
        school is not None
        and has_role(user, SCHOOL_HEAD)
        and user.confirmed_school is not None
        and user.confirmed_school.pk == school.pk
    )


def can_manage_school(user, school) -> bool:
    return is_methodologist(user) or is_head_of(user, school)


def role_labels(user) -> list[str]:
    if not user.is_authenticated:
        return []
    names = [name for name in ROLE_NAMES if name in _group_names(user)]
    if user.is_superuser and ADMINISTRATOR not in names:
        names.append(ADMINISTRATOR)
    return names
