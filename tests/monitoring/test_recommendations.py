"""Addressed recommendations: writing, listing, acknowledging, and the admin screens."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from monitoring.models import ImprovementProgramme, Recommendation
from tests.factories import SchoolFactory

from . import dataset
from .analysis_helpers import client_for, people

pytestmark = pytest.mark.django_db

NEW = reverse("monitoring:recommendation_new")
LIST = reverse("monitoring:recommendation_list")


@pytest.fixture
def schools():
    return dataset.build()


@pytest.fixture
def users(schools):
    return people(schools)


def recommendation(school=None, **extra):
    data = {
        "addressee": "school",
        "school": school,
        "year": 2024,
        "basis": "results",
        "finding": "Доля «2» по математике 20 % при муниципальной 7,8 %",
        "text": "Организовать стажировку в школе-лидере",
    }
    data.update(extra)
    return Recommendation.objects.create(**data)


def form_data(**extra):
    data = {
        "addressee": "school",
        "school": "",
        "year": 2024,
        "basis": "results",
        "indicator": "",
        "finding": "Доля «2» выше муниципальной",
        "text": "Провести методический семинар",
        "due_date": "",
    }
    data.update(extra)
    return data


def test_only_methodologists_write(client, users, home_page):
    assert client_for(client, None).get(NEW).status_code == 302
    for role in ("teacher", "myself", "head", "other_head"):
        assert client_for(client, users[role]).get(NEW).status_code == 403, role
        assert client_for(client, users[role]).post(NEW, form_data()).status_code == 403
    assert not Recommendation.objects.exists()


def test_prefilled_from_query(client, users, home_page, schools):
    client_for(client, users["methodologist"])
    response = client.get(NEW + "?basis=indicator&indicator=IND-4&school=A1&year=2023")
    initial = response.context["form"].initial
    assert initial["basis"] == "indicator" and initial["indicator"] == "IND-4"
    assert initial["school"] == schools["A1"] and initial["year"] == 2023
    # An indicator alone implies the basis; nonsense is ignored.
    initial = client.get(NEW + "?indicator=IND-2&basis=zzz&school=NOPE").context["form"].initial
    assert initial["basis"] == "indicator" and "school" not in initial


def test_methodologist_writes_one(client, users, home_page, schools):
    client_for(client, users["methodologist"])
    due = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    response = client.post(NEW, form_data(school=schools["A1"].pk, basis="screening", due_date=due))
    assert response.status_code == 302
    assert response["Location"].endswith(
        reverse("monitoring:school_dashboard", args=["A1"]) + "#recommendations"
    )
    saved = Recommendation.objects.get()
    assert saved.author == users["methodologist"] and saved.school == schools["A1"]
    assert saved.basis == "screening" and saved.due_date.isoformat() == due
    # A municipal one goes back to the list.
    response = client.post(NEW, form_data(addressee="department"))
    assert response["Location"] == LIST
    assert Recommendation.objects.filter(school=None).count() == 1


@pytest.mark.parametrize(
    "extra, field, message",
    [
        ({"basis": "indicator"}, "indicator", "Выберите показатель"),
        ({"basis": "screening"}, "school", "укажите школу"),
        ({"due_date": "2000-01-01"}, "due_date", "в прошлом"),
        ({"due_date": "31/31/2025"}, "due_date", "ГГГГ-ММ-ДД"),
        ({"year": "1999"}, "year", "не раньше 2000"),
        ({"text": ""}, "text", "заполнить"),
    ],
)
def test_validation(client, users, home_page, extra, field, message):
    client_for(client, users["methodologist"])
    response = client.post(NEW, form_data(**extra))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert 'class="field__error"' in response.content.decode()
    assert not Recommendation.objects.exists()


def test_list_for_methodologist_with_filters(client, users, home_page, schools):
    a = recommendation(schools["A1"])
    b = recommendation(schools["B1"], year=2023, addressee="teachers")
    municipal = recommendation(None, addressee="department")
    b.acknowledged_at = timezone.now()
    b.save()
    client_for(client, users["methodologist"])

    def listed(query=""):
        return {r.pk for r in client.get(LIST + query).context["page_obj"]}

    assert listed() == {a.pk, b.pk, municipal.pk}
    assert listed("?year=2023") == {b.pk}
    assert listed("?addressee=department") == {municipal.pk}
    assert listed("?school=A1") == {a.pk}
    assert listed("?state=pending") == {a.pk, municipal.pk}
    assert listed("?state=acknowledged") == {b.pk}
    assert listed("?year=abc") == {a.pk, b.pk, municipal.pk}  # a bad filter filters nothing


def test_list_for_head_shows_own_school_only(client, users, home_page, schools):
    own = recommendation(schools["A1"])
    recommendation(schools["B1"], text="Чужая рекомендация")
    recommendation(None, text="Муниципальная рекомендация")
    response = client_for(client, users["head"]).get(LIST + "?school=B1")
    assert [r.pk for r in response.context["page_obj"]] == [own.pk]
    content = response.content.decode()
    assert "Чужая рекомендация" not in content and "Муниципальная рекомендация" not in content
    assert "Принять к сведению" in content


def test_list_refused_to_others(client, users, home_page):
    assert client_for(client, None).get(LIST).status_code == 302
    for role in ("teacher", "myself", "other_teacher"):
        assert client_for(client, users[role]).get(LIST).status_code == 403, role


def test_head_acknowledges(client, users, home_page, schools):
    item = recommendation(schools["A1"])
    ack = reverse("monitoring:recommendation_acknowledge", args=[item.pk])
    assert client_for(client, users["head"]).get(ack).status_code == 405
    response = client.post(ack, {"response": "Стажировка запланирована на март"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.acknowledged_by == users["head"] and item.acknowledged_at is not None
    assert item.response == "Стажировка запланирована на март"
    first = item.acknowledged_at
    # A second acknowledgement changes nothing.
    client.post(ack, {"response": "Другое"})
    item.refresh_from_db()
    assert item.acknowledged_at == first and item.response == "Стажировка запланирована на март"
    content = client.get(LIST).content.decode()
    assert "принята к сведению" in content and "Стажировка запланирована на март" in content


def test_acknowledge_without_response(client, users, home_page, schools):
    item = recommendation(schools["A1"])
    ack = reverse("monitoring:recommendation_acknowledge", args=[item.pk])
    client_for(client, users["head"]).post(ack, {})
    item.refresh_from_db()
    assert item.acknowledged_at is not None and item.response == ""


def test_only_the_schools_head_acknowledges(client, users, home_page, schools):
    item = recommendation(schools["A1"])
    municipal = recommendation(None)
    ack = reverse("monitoring:recommendation_acknowledge", args=[item.pk])
    for role in ("other_head", "teacher", "methodologist"):
        assert client_for(client, users[role]).post(ack, {}).status_code == 403, role
    head = client_for(client, users["head"])
    municipal_ack = reverse("monitoring:recommendation_acknowledge", args=[municipal.pk])
    assert head.post(municipal_ack, {}).status_code == 403
    item.refresh_from_db()
    assert item.acknowledged_at is None


def test_list_query_count_does_not_grow(
    client, users, home_page, schools, django_assert_max_num_queries
):
    for n in range(30):
        item = recommendation(SchoolFactory(code=f"R{n}"), author=users["methodologist"])
        if n % 2:
            item.acknowledged_at = timezone.now()
            item.acknowledged_by = users["head"]
            item.save()
    client_for(client, users["methodologist"])
    with django_assert_max_num_queries(30):
        response = client.get(LIST)
    assert len(response.context["page_obj"]) == 25


def test_admin_viewsets_for_methodologists(client, users, home_page, schools):
    item = recommendation(schools["A1"])
    programme = ImprovementProgramme.objects.filter(school=schools["A1"]).first()
    client_for(client, users["methodologist"])
    assert client.get("/admin/monitoring/recommendations/").status_code == 200
    assert client.get(f"/admin/monitoring/recommendations/edit/{item.pk}/").status_code == 200
    assert client.get("/admin/monitoring/programmes/").status_code == 200
    assert client.get(f"/admin/monitoring/programmes/edit/{programme.pk}/").status_code == 200
    client_for(client, users["head"])
    assert client.get("/admin/monitoring/recommendations/").status_code in (302, 403)


def test_template_tag_builds_the_prefilled_link():
    from django.template import Context, Template

    rendered = Template(
        '{% load analysis_tags %}{% recommendation_url basis="indicator" indicator=code year=2024 %}'
    ).render(Context({"code": "IND-4"}))
    assert rendered.startswith(NEW + "?")
    assert "basis=indicator" in rendered and "indicator=IND-4" in rendered
    assert "year=2024" in rendered


def test_cancel_leads_back_only_within_the_site(client, users, home_page):
    client_for(client, users["methodologist"])
    response = client.get(NEW + "?back=/monitoring/schools/A1/")
    assert response.context["cancel_url"] == "/monitoring/schools/A1/"
    for bad in ("javascript:alert(1)", "https://evil.example.com/"):
        response = client.get(NEW, {"back": bad})
        assert response.context["cancel_url"] == LIST


def test_methodologist_edits_the_screening_thresholds(client, users, home_page):
    url = "/admin/settings/monitoring/screeningsettings/"
    response = client_for(client, users["methodologist"]).get(url, follow=True)
    assert response.status_code == 200
    assert "failing_core_min" in response.content.decode()
    response = client_for(client, users["head"]).get(url)
    assert response.status_code in (302, 403)
