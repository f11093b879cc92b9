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


def visible_schools(user):
    """Ids of the schools whose breakdown the user may see; None means all of them."""
    if is_methodologist(user):
        return None
    school = getattr(user, "confirmed_school", None) if user.is_authenticated else None
    if school is not None and is_head_of(user, school):
        return {school.pk}
    return set()
