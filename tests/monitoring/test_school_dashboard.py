"""A school's monitoring dashboard, its programme form and the links to it."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail import hooks

from monitoring.models import ImprovementProgramme, Recommendation
from tests.factories import SchoolFactory

from . import dataset
from .analysis_helpers import client_for, people

pytestmark = pytest.mark.django_db


@pytest.fixture
def schools():
    return dataset.build()


@pytest.fixture
def users(schools):
    return people(schools)


def url(code="A1"):
    return reverse("monitoring:school_dashboard", args=[code])


def test_access(client, users, home_page):
    assert client_for(client, None).get(url()).status_code == 302
    for role in ("teacher", "myself", "other_teacher", "other_head"):
        assert client_for(client, users[role]).get(url()).status_code == 403, role
    for role in ("head", "methodologist", "administrator"):
        assert client_for(client, users[role]).get(url()).status_code == 200, role
    assert client_for(client, users["head"]).get(url("B1")).status_code == 403
    assert client_for(client, users["methodologist"]).get(url("NOPE")).status_code == 404


def test_contents_by_hand(client, users, home_page, schools):
    Recommendation.objects.create(
        addressee="school",
        school=schools["A1"],
        year=2024,
        basis="results",
        finding="Доля «2» по математике выше муниципальной",
        text="Провести стажировку учителей математики",
        author=users["methodologist"],
    )
    response = client_for(client, users["head"]).get(url())
    data = response.context["data"]
    results = dict(data.results)
    assert list(results) == ["ЕГЭ", "ОГЭ", "ВПР"]
    oge = {(r.subject, r.year): r for r in results["ОГЭ"]}
    # ОГЭ mathematics 2024: A1 6/30; all schools 7/90 (A1, B1 « математика », C1).
    row = oge[("Математика", 2024)]
    assert row.failed_share == pytest.approx(0.2)
    assert row.municipal_failed_share == pytest.approx(7 / 90)
    assert row.municipal_high_share == pytest.approx(21 / 90)
    coverage = {row.year: row for row in data.coverage}
    assert (coverage[2024].staff, coverage[2024].diagnosed, coverage[2024].supported) == (3, 3, 1)
    assert (coverage[2023].staff, coverage[2023].diagnosed, coverage[2023].supported) == (2, 2, 1)
    assert data.deficits == [("геометрия", 1), ("оценивание", 1)]
    assert data.staff_year == 2024
    teachers = {t.entry.teacher.code: t for t in data.teachers}
    assert set(teachers) == {"t1", "t2", "t3"}
    assert str(teachers["t1"].latest.date) == "2024-04-01"
    assert teachers["t1"].diagnostics_count == 3
    assert [p.start_year for p in data.programmes] == [2022]
    assert [s.year for s in data.statuses] == [2024, 2023, 2021]

    content = response.content.decode()
    assert "Иванова Анна Петровна" in content
    assert "<svg" in content
    # One procedure per tab: ЕГЭ first, the others a link away.
    assert (
        response.context["procedure"] == "ЕГЭ" and 'href="?procedure=%D0%9E%D0%93%D0%AD' in content
    )
    oge_page = client.get(url(), {"procedure": "ОГЭ"}).content.decode()
    assert "20,0 %" in oge_page and "7,8 %" in oge_page
    assert "Провести стажировку учителей математики" in content
    assert "Принять к сведению" in content  # the head may acknowledge here
    assert "Написать рекомендацию" not in content  # a methodologist's action
    assert reverse("monitoring:programme_new", args=["A1"]) in content


def test_methodologist_gets_the_recommendation_link(client, users, home_page):
    content = client_for(client, users["methodologist"]).get(url()).content.decode()
    assert "school=A1" in content and "Написать рекомендацию" in content
    assert "Принять к сведению" not in content


def test_other_apps_add_sections_through_the_hook(client, users, home_page):
    def section(request, school):
        return f"<section id='from-hook'>Договоры {school.code}</section>"

    with hooks.register_temporarily("monitoring_school_dashboard_sections", section):
        content = client_for(client, users["head"]).get(url()).content.decode()
    assert "<section id='from-hook'>Договоры A1</section>" in content


def test_empty_school(client, users, home_page):
    SchoolFactory(code="EMPTY")
    response = client_for(client, users["methodologist"]).get(url("EMPTY"))
    assert response.status_code == 200
    assert "Результатов оценочных процедур школы пока нет" in response.content.decode()


def test_query_count_does_not_grow(client, users, home_page, django_assert_max_num_queries):
    from monitoring.importing import get_kind, run_import

    rows = [["school_code", "year", "teacher_code", "full_name", "position", "subjects"]]
    rows += [["A1", 2024, f"x{n}", f"Педагог {n}", "учитель", "Физика"] for n in range(30)]
    assert run_import(get_kind("staff"), dataset.csv(rows), "staff.csv").ok
    client_for(client, users["head"])
    with django_assert_max_num_queries(40):
        response = client.get(url())
    assert len(response.context["data"].teachers) == 33


# --- The links to the dashboard --------------------------------------------------------


def test_school_page_links_only_for_allowed(client, users, home_page, schools):
    page = schools["A1"].get_absolute_url()
    link = url()
    for role in ("anonymous", "teacher", "myself", "other_head", "other_teacher"):
        content = client_for(client, users[role]).get(page).content.decode()
        assert link not in content, role
    for role in ("head", "methodologist", "administrator"):
        content = client_for(client, users[role]).get(page).content.decode()
        assert link in content, role


def test_cabinet_links(client, users, home_page):
    content = client_for(client, users["head"]).get(reverse("cabinet")).content.decode()
    assert url() in content
    content = client_for(client, users["teacher"]).get(reverse("cabinet")).content.decode()
    assert url() not in content and reverse("monitoring:screening") not in content
    content = client_for(client, users["methodologist"]).get(reverse("cabinet")).content.decode()
    assert reverse("monitoring:screening") in content
    assert reverse("monitoring:effectiveness") in content


def test_cabinet_counts_pending_recommendations(client, users, home_page, schools):
    for _n in range(2):
        Recommendation.objects.create(
            addressee="school",
            school=schools["A1"],
            year=2024,
            basis="results",
            finding="…",
            text="…",
        )
    content = client_for(client, users["head"]).get(reverse("cabinet")).content.decode()
    assert "Рекомендаций, ждущих ответа школы: 2" in content


# --- The programme ---------------------------------------------------------------------


def programme_data(**extra):
    data = {
        "title": "Программа повышения качества образования",
        "start_year": 2025,
        "end_year": 2027,
        "measures": "Наставничество; стажировки",
        "state": "draft",
    }
    data.update(extra)
    return data


def test_head_creates_and_edits_a_programme(client, users, home_page, schools):
    client_for(client, users["head"])
    new = reverse("monitoring:programme_new", args=["A1"])
    form = client.get(new).context["form"]
    this_year = datetime.date.today().year
    assert (form["start_year"].value(), form["end_year"].value()) == (this_year, this_year + 2)
    upload = SimpleUploadedFile("programma.pdf", b"%PDF-1.4 test", "application/pdf")
    response = client.post(new, {**programme_data(state="review"), "upload": upload})
    assert response.status_code == 302
    programme = ImprovementProgramme.objects.get(school=schools["A1"], start_year=2025)
    assert programme.state == "review" and programme.approved_at is None
    assert programme.document is not None and programme.document.title == programme.title
    assert programme.document.uploaded_by_user == users["head"]
    # The latest programme is the one the plain address edits.
    response = client.post(
        reverse("monitoring:programme_edit", args=["A1"]), programme_data(measures="Новое")
    )
    programme.refresh_from_db()
    assert programme.measures == "Новое" and programme.state == "draft"


def test_head_cannot_approve(client, users, home_page, schools):
    client_for(client, users["head"])
    new = reverse("monitoring:programme_new", args=["A1"])
    response = client.post(new, programme_data(state="approved"))
    assert response.status_code == 200
    assert "state" in response.context["form"].errors
    assert not ImprovementProgramme.objects.filter(school__code="A1", start_year=2025).exists()


def test_head_cannot_edit_an_approved_programme(client, users, home_page, schools):
    approved = ImprovementProgramme.objects.get(school=schools["A1"])
    client_for(client, users["head"])
    edit = reverse("monitoring:programme_edit_one", args=["A1", approved.pk])
    response = client.post(edit, programme_data(state="draft"))
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.state == "approved" and approved.start_year == 2022


def test_methodologist_approves(client, users, home_page, schools):
    client_for(client, users["methodologist"])
    response = client.post(
        reverse("monitoring:programme_new", args=["B1"]),
        programme_data(state="approved", start_year=2027, end_year=2029),
    )
    assert response.status_code == 302
    programme = ImprovementProgramme.objects.get(school=schools["B1"], start_year=2027)
    assert programme.state == "approved" and programme.approved_at is not None


def test_programme_validation(client, users, home_page):
    client_for(client, users["head"])
    new = reverse("monitoring:programme_new", args=["A1"])
    response = client.post(new, programme_data(start_year=2026, end_year=2025))
    assert "раньше его начала" in response.content.decode()
    bad = SimpleUploadedFile("virus.exe", b"MZ", "application/octet-stream")
    response = client.post(new, {**programme_data(), "upload": bad})
    assert "Загрузите файл PDF" in response.content.decode()
    response = client.post(new, programme_data(start_year=1900))
    assert "не раньше 2000" in response.content.decode()
    assert (
        not ImprovementProgramme.objects.filter(school__code="A1", start_year__gte=1900)
        .exclude(start_year=2022)
        .exists()
    )


def test_programme_of_another_school_is_refused(client, users, home_page, schools):
    client_for(client, users["other_head"])
    assert client.get(reverse("monitoring:programme_new", args=["A1"])).status_code == 403
    other = ImprovementProgramme.objects.filter(school=schools["B1"]).first()
    response = client.get(reverse("monitoring:programme_edit_one", args=["A1", other.pk]))
    assert response.status_code == 403
    client_for(client, users["head"])
    response = client.get(reverse("monitoring:programme_edit_one", args=["A1", other.pk]))
    assert response.status_code == 404
