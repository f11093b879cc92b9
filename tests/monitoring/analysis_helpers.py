"""People of every role around the hand-computed dataset, for the analysis pages' tests."""

from django.urls import reverse

from monitoring.models import Teacher
from portal import roles
from tests.factories import MethodologistFactory, SchoolHeadFactory, TeacherFactory, UserFactory

ROLES = (
    "anonymous",
    "teacher",
    "other_teacher",
    "myself",
    "head",
    "other_head",
    "methodologist",
    "administrator",
)


def people(schools) -> dict:
    """Users of each role. «myself» is the portal account of teacher t1 of school A1;
    «teacher» another teacher of A1; «other_*» belong to school B1."""
    a1, b1 = schools["A1"], schools["B1"]
    myself = TeacherFactory(school=a1)
    Teacher.objects.filter(code="t1").update(user=myself)
    return {
        "anonymous": None,
        "teacher": TeacherFactory(school=a1),
        "other_teacher": TeacherFactory(school=b1),
        "myself": myself,
        "head": SchoolHeadFactory(school=a1),
        "other_head": SchoolHeadFactory(school=b1),
        "methodologist": MethodologistFactory(),
        "administrator": UserFactory(role=roles.ADMINISTRATOR),
    }


def client_for(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


def login_url() -> str:
    return reverse("account_login")
