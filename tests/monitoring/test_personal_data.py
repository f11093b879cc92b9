"""Teachers' names and diagnostics are personal data: only the teacher, the head of the
teacher's school and methodologists see them (domain.md). Every page of the analysis part
that could show them, for every role."""

import datetime

import pytest
from django.urls import reverse

from monitoring.models import Diagnostic, Teacher

from . import dataset
from .analysis_helpers import ROLES, client_for, people

pytestmark = pytest.mark.django_db

# t1 (Иванова, school A1, the account «myself»); t2 (Петров, school A1, no account).
T1_NAME = "Иванова Анна Петровна"
T2_NAME = "Петров Пётр Ильич"
T2_DEFICIT = "дефицит-петрова"

# Who may open the school dashboard of A1 (with names and diagnostics).
DASHBOARD_ALLOWED = {"head", "methodologist", "administrator"}
# Who may open the methodologists' pages.
METHODOLOGISTS = {"methodologist", "administrator"}


@pytest.fixture
def users(home_page):
    schools = dataset.build()
    Diagnostic.objects.create(
        teacher=Teacher.objects.get(code="t2"),
        date=datetime.date(2024, 10, 1),
        kind="методическая",
        score=45,
        deficits=[T2_DEFICIT],
    )
    return people(schools)


def get(client, user, url):
    return client_for(client, user).get(url)


@pytest.mark.parametrize("role", ROLES)
def test_school_dashboard(client, users, role):
    response = get(client, users[role], reverse("monitoring:school_dashboard", args=["A1"]))
    content = response.content.decode()
    if role in DASHBOARD_ALLOWED:
        assert response.status_code == 200
        assert T1_NAME in content and T2_NAME in content and T2_DEFICIT in content
    else:
        assert response.status_code == (302 if role == "anonymous" else 403)
        assert T1_NAME not in content and T2_NAME not in content
        assert T2_DEFICIT not in content


@pytest.mark.parametrize("role", ROLES)
def test_public_school_page_shows_no_names(client, users, role):
    response = get(client, users[role], reverse("school_detail", args=["A1"]))
    assert response.status_code == 200
    content = response.content.decode()
    assert T1_NAME not in content and T2_NAME not in content and T2_DEFICIT not in content
    assert "геометрия" not in content


@pytest.mark.parametrize("role", ROLES)
def test_cabinet_shows_only_own_diagnostics(client, users, role):
    response = get(client, users[role], reverse("cabinet"))
    if role == "anonymous":
        assert response.status_code == 302
        return
    content = response.content.decode()
    assert T2_DEFICIT not in content  # t2 has no account: nobody's cabinet shows it
    if role == "myself":
        assert "Мои диагностики профессиональных дефицитов" in content
        # t1's three diagnostics: 10.05.2023 (геометрия), 01.02.2024 (оценивание), 01.04.2024.
        for date in ("10.05.2023", "01.02.2024", "01.04.2024"):
            assert date in content
        assert "геометрия" in content and "оценивание" in content
        assert "01.05.2024" not in content  # t2's diagnostic of that day
    else:
        assert "Мои диагностики профессиональных дефицитов" not in content
        assert "геометрия" not in content and "01.04.2024" not in content


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "url",
    [
        reverse("monitoring:screening") + "?year=2024",
        reverse("monitoring:effectiveness") + "?year=2023",
    ],
)
def test_methodologists_pages(client, users, role, url):
    response = get(client, users[role], url)
    content = response.content.decode()
    if role in METHODOLOGISTS:
        assert response.status_code == 200
    else:
        assert response.status_code == (302 if role == "anonymous" else 403)
    # Aggregates only: no teacher's name even for methodologists.
    assert T1_NAME not in content and T2_NAME not in content


@pytest.mark.parametrize("role", ROLES)
def test_recommendations_list(client, users, role):
    response = get(client, users[role], reverse("monitoring:recommendation_list"))
    if role in METHODOLOGISTS or role == "head" or role == "other_head":
        assert response.status_code == 200
    else:
        assert response.status_code == (302 if role == "anonymous" else 403)
    content = response.content.decode()
    assert T1_NAME not in content and T2_NAME not in content


def test_unlinked_teacher_sees_no_diagnostics_section(client, users):
    Teacher.objects.filter(code="t1").update(user=None)
    content = get(client, users["myself"], reverse("cabinet")).content.decode()
    assert "Мои диагностики профессиональных дефицитов" not in content
    assert "геометрия" not in content
