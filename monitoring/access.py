"""Who may see what of the monitoring data (domain.md, «People and what they may do»).

Teachers' names and diagnostics are personal data: only the teacher, the head of the
teacher's school and methodologists see them. A school's monitoring data (its results by
subject, its teachers' coverage, its recommendations) is for its head and methodologists.
The public sees aggregates only, and no figure computed from fewer than
MIN_PUBLIC_TEACHERS teachers.
"""

from portal.roles import is_head_of, is_methodologist

MIN_PUBLIC_TEACHERS = 5


def can_see_all_schools(user) -> bool:
    return is_methodologist(user)


def can_see_school(user, school) -> bool:
    """The school's monitoring dashboard and breakdowns: its head and methodologists."""
    return is_methodologist(user) or is_head_of(user, school)


def can_see_teacher(user, teacher, schools=None) -> bool:
    """A teacher's name and diagnostics. `schools`: the teacher's schools, if already known
    (any year's staff list); otherwise they are looked up."""
    if not user or not user.is_authenticated:
        return False
    if is_methodologist(user):
        return True
    if teacher.user_id is not None and teacher.user_id == user.pk:
        return True
    school = getattr(user, "confirmed_school", None)
    if school is None:
        return False
    if schools is None:
        schools = set(teacher.staff_entries.values_list("school_id", flat=True))
    else:
        schools = {getattr(s, "pk", s) for s in schools}
    return school.pk in schools and is_head_of(user, school)


def visible_schools(user):
    """Ids of the schools whose breakdown the user may see; None means all of them."""
    if is_methodologist(user):
        return None
    school = getattr(user, "confirmed_school", None) if user.is_authenticated else None
    if school is not None and is_head_of(user, school):
        return {school.pk}
    return set()
