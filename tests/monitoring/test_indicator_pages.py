"""The indicator dashboard, an indicator's page, the exports, the targets' admin screen and
the home page section, on the hand-computed dataset of tests/monitoring/dataset.py.

2024: S = {A1, B1}, T = {t1…t5}; IND-4 = 3/5 = 60,0 % against 80,0 %; IND-5 = 2/3 (fewer
than 5 teachers: withheld from the public). 2023: S = {A1}, T = {t1, t2}."""

import csv
import io
import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from monitoring import demo_indicators
from monitoring.models import IndicatorPage, IndicatorTarget, StaffEntry
from portal.models import MenuItem, NavigationSettings, Status
from tests.factories import (
    MethodologistFactory,
    SchoolFactory,
    SchoolHeadFactory,
    SchoolStatusFactory,
    TeacherFactory,
)

from . import dataset

pytestmark = pytest.mark.django_db

WITHHELD = "менее 5 педагогов — значение не публикуется"
DASHBOARD = "/indicators/"


@pytest.fixture
def schools(home_page):
    return dataset.build()


@pytest.fixture
def users(schools):
    return {
        "anonymous": None,
        "teacher": TeacherFactory(school=schools["A1"]),
        "head": SchoolHeadFactory(school=schools["A1"]),
        "leader_head": SchoolHeadFactory(school=schools["C1"]),
        "methodologist": MethodologistFactory(),
    }


def get(client, url, user=None, **params):
    if user is not None:
        client.force_login(user)
    return client.get(url, params)


def card(html: str, code: str) -> str:
    """The dashboard card of one indicator, as text without tags."""
    for part in html.split('<li class="indicator-card')[1:]:
        if f'indicator-card__code">{code}<' in part:
            text = re.sub(r"<[^>]+>", " ", part.split("</li>")[0])
            return " ".join(text.split())
    raise AssertionError(f"no card for {code}")


def section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    end = html.find("</section>", start)
    text = re.sub(r"<[^>]+>", " ", html[start:end])
    return " ".join(text.split())


# The dashboard -----------------------------------------------------------------------------


def test_dashboard_shows_2024_by_default_with_values_targets_and_counts(client, schools):
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="?year=2024" aria-current="page"' in html
    ind4 = card(html, "IND-4")
    assert "60,0 %" in ind4 and "3 из 5 педагогов" in ind4
    assert "Цель: 80,0 % — цель не достигнута" in ind4
    ind1 = card(html, "IND-1")
    assert "0,0 %" in ind1 and "0 из 2 школ" in ind1 and "Цель: 30,0 %" in ind1
    assert "20,0 %" in card(html, "IND-2") and "Целевое значение не установлено" in card(
        html, "IND-2"
    )
    ind6 = card(html, "IND-6")
    assert "100,0 %" in ind6 and "1 из 1 школы" in ind6 and "цель достигнута" in ind6
    assert "50,0 %" in card(html, "IND-9") and "1 из 2 школ" in card(html, "IND-9")
    # IND-3: 15/87 now, 15/50 a year before: a fall is the positive direction.
    ind3 = card(html, "IND-3")
    assert "17,2 %" in ind3 and "15 «2» из 87 участников" in ind3
    assert "−12,8 п. п. к предыдущему году: снижение — положительная динамика" in ind3
    ind8 = card(html, "IND-8")
    assert "Цель: не менее 5 договоров — цель не достигнута" in ind8
    # Each card links to the indicator's own page and has a sparkline described in words.
    assert reverse("monitoring:indicator_detail", args=["IND-4"]) in html
    assert 'aria-label="Динамика по годам — 2021: нет данных; 2023: 100,0 %' not in html
    assert "2023: менее 5 педагогов — значение не публикуется; 2024: 60,0 %" in html


def test_undefined_values_are_no_data_never_zero(client, schools):
    html = client.get(DASHBOARD, {"year": 2021}).content.decode()
    # S(2021) = {A1} with no staff list: the teacher shares are undefined.
    for code in ("IND-2", "IND-4", "IND-5"):
        text = card(html, code)
        assert "нет данных" in text and "0,0 %" not in text
    # IND-6: A1 has no results in 2020 or 2021, so no school is comparable.
    assert "нет данных нет школ с сопоставимыми результатами за два года" in card(html, "IND-6")
    assert "нет педагогов в штатных списках целевых школ" in card(html, "IND-4")
    # A target without a value to compare is not judged.
    IndicatorTarget.objects.create(code="IND-6", year=2021, value=Decimal("0.5"))
    html = client.get(DASHBOARD, {"year": 2021}).content.decode()
    assert "Цель: 50,0 % — достижение не оценивается: нет данных" in card(html, "IND-6")


def test_year_switch_and_an_unknown_year_falls_back_to_the_latest(client, schools):
    html = client.get(DASHBOARD, {"year": "2023"}).content.decode()
    assert 'href="?year=2023" aria-current="page"' in html
    assert "1 из 1 школы" in card(html, "IND-9")
    html = client.get(DASHBOARD, {"year": "1999"}).content.decode()
    assert 'href="?year=2024" aria-current="page"' in html
    html = client.get(DASHBOARD, {"year": "abc"}).content.decode()
    assert 'href="?year=2024" aria-current="page"' in html


def test_dashboard_without_any_status(client, home_page):
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert "Данных для расчёта показателей пока нет" in response.content.decode()


# The five-teacher rule ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, shown",
    [
        ("anonymous", False),
        ("teacher", False),
        ("head", False),
        ("leader_head", False),
        ("methodologist", True),
    ],
)
def test_fewer_than_five_teachers_are_withheld_from_all_but_methodologists(
    client, users, role, shown
):
    html = get(client, DASHBOARD, users[role]).content.decode()
    # 2024: IND-5 rests on 3 teachers; IND-2 and IND-4 on exactly 5.
    ind5 = card(html, "IND-5")
    assert ("66,7 %" in ind5) is shown
    assert ("2 из 3 педагогов" in ind5) is shown
    assert (WITHHELD in ind5) is not shown
    assert "60,0 %" in card(html, "IND-4") and WITHHELD not in card(html, "IND-4")


def test_a_staff_list_of_four_withholds_every_teacher_share(client, users, schools):
    StaffEntry.objects.filter(teacher__code="t5", year=2024).delete()
    html = get(client, DASHBOARD).content.decode()
    for code in ("IND-2", "IND-4", "IND-5"):
        text = card(html, code)
        assert WITHHELD in text
        assert "из 4 педагогов" not in text
    # School-level indicators are not per-teacher: still published.
    assert "50,0 %" in card(html, "IND-7")
    page = get(client, "/indicators/IND-4/").content.decode()
    assert "3 из 4" not in page
    assert "2024 " + WITHHELD + " — — 80,0 % —" in section(page, "by-year-IND-4")
    html = get(client, DASHBOARD, users["methodologist"]).content.decode()
    assert "75,0 %" in card(html, "IND-4") and "3 из 4 педагогов" in card(html, "IND-4")


# An indicator's page -----------------------------------------------------------------------


def test_indicator_page_shows_years_chart_table_and_methodology(client, schools):
    response = client.get("/indicators/IND-4/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Доля педагогов целевых школ, прошедших диагностику" in html
    by_year = section(html, "by-year-IND-4")
    # Chart (SVG with a title) and the same data as a table.
    assert "<svg" in html and 'class="indicator-chart__target"' in html
    assert "2024 60,0 % 3 5 80,0 % нет" in by_year
    assert "2023 " + WITHHELD + " — — 75,0 % —" in by_year
    method = section(html, "method-IND-4")
    assert "хотя бы одна диагностика, датированная этим годом" in method
    assert "Программа по повышению качества образования" in method
    assert "?indicator=IND-4" in html


def test_unknown_indicator_is_404(client, schools):
    assert client.get("/indicators/IND-10/").status_code == 404
    assert client.get("/indicators/export.pdf").status_code == 404
    assert client.get("/indicators/export.csv", {"indicator": "X"}).status_code == 404


def test_ind3_shows_the_change_by_procedure(client, schools):
    html = client.get("/indicators/IND-3/").content.decode()
    table = section(html, "procedures-IND-3")
    assert "ОГЭ 30,0 % 17,5 % −12,5 п. п." in table
    assert "ЕГЭ нет данных 10,0 % нет данных" in table
    assert "ВПР 30,0 % 20,0 % −10,0 п. п." in table
    assert "Снижение доли неудовлетворительных результатов — положительная динамика" in table


def test_ind8_has_no_breakdown_by_school(client, users):
    html = get(client, "/indicators/IND-8/", users["methodologist"]).content.decode()
    assert "считается по муниципалитету в целом" in section(html, "by-school-IND-8")


@pytest.mark.parametrize(
    "role, visible",
    [
        ("anonymous", set()),
        ("teacher", set()),
        ("head", {"Школа A1"}),
        ("leader_head", set()),
        ("methodologist", {"Школа A1", "Школа B1"}),
    ],
)
def test_breakdown_by_school_by_role(client, users, role, visible):
    html = get(client, "/indicators/IND-4/", users[role]).content.decode()
    breakdown = section(html, "by-school-IND-4")
    shown = {name for name in ("Школа A1", "Школа B1", "Школа C1") if name in breakdown}
    assert shown == visible
    if role in ("anonymous", "teacher"):
        assert "доступна методистам и руководителям" in breakdown
    if role == "leader_head":
        assert "Ваша школа не входит в число целевых школ 2024 года" in breakdown
    if role == "head":
        # A1's own teachers: t1, t2, t3 all diagnosed in 2024.
        assert "Школа A1 код A1 ШНОР 100,0 % 3 3" in breakdown
    if role == "methodologist":
        # B1: t3 of 3 teachers.
        assert "Школа B1 код B1 ШНСУ 33,3 % 1 3" in breakdown


def test_breakdown_of_a_school_share_says_whether_each_school_counts(client, users):
    html = get(client, "/indicators/IND-9/", users["methodologist"]).content.decode()
    breakdown = section(html, "by-school-IND-9")
    assert "Школа A1 код A1 ШНОР да" in breakdown and "Школа B1 код B1 ШНСУ нет" in breakdown
    html = get(client, "/indicators/IND-6/", users["methodologist"]).content.decode()
    assert "Школа B1 код B1 ШНСУ нет результатов за оба года" in section(html, "by-school-IND-6")


def test_indicator_page_in_the_tree_and_the_redirect(client, users, home_page):
    page = IndicatorPage(
        title="Диагностика педагогов",
        slug="diagnostika",
        indicator="IND-4",
        intro="Сколько педагогов прошли диагностику.",
    )
    home_page.add_child(instance=page)
    page.save_revision().publish()
    response = client.get("/indicators/IND-4/", {"year": 2023})
    assert response.status_code == 302
    assert response["Location"] == page.url + "?year=2023"
    html = get(client, page.url, users["methodologist"]).content.decode()
    assert "Сколько педагогов прошли диагностику." in html
    assert "60,0 %" in html and "Школа B1" in section(html, "by-school-IND-4")
    html = get(client, page.url, users["head"]).content.decode()
    assert "Школа B1" not in html
    # The dashboard links straight to the page.
    assert f'href="{page.url}"' in client.get(DASHBOARD).content.decode()


# Exports -----------------------------------------------------------------------------------


def rows_of_csv(response) -> list[list[str]]:
    assert response.content.startswith("\ufeff".encode())
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_csv_export_of_all_indicators(client, schools):
    response = client.get("/indicators/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = rows_of_csv(response)
    assert rows[0][:4] == ["Год", "Код", "Показатель", "Значение"]
    by_key = {(row[0], row[1]): row for row in rows[1:]}
    assert len(by_key) == 3 * 9  # 2021, 2023, 2024 (no confirmed status in 2022) × 9
    ind4 = by_key[("2024", "IND-4")]
    assert ind4[3:9] == ["60,00", "%", "3", "5", "80,00", "нет"]
    ind5 = by_key[("2024", "IND-5")]
    assert ind5[3] == "" and ind5[5] == "" and ind5[6] == "" and ind5[-1] == WITHHELD
    assert by_key[("2021", "IND-4")][-1] == "нет данных"
    ind3 = by_key[("2024", "IND-3")]
    assert ind3[9] == "30,00" and ind3[10] == "−12,76"
    assert all("Код ОО" not in row for row in rows)


@pytest.mark.parametrize(
    "role, schools_shown",
    [
        ("anonymous", None),
        ("teacher", None),
        ("head", {"A1"}),
        ("methodologist", {"A1", "B1"}),
    ],
)
def test_csv_export_of_one_indicator_with_its_breakdown(client, users, role, schools_shown):
    rows = rows_of_csv(get(client, "/indicators/export.csv", users[role], indicator="IND-4"))
    assert {row[1] for row in rows[1:] if len(row) > 1 and row[0] != "Год"} == {"IND-4"}
    if schools_shown is None:
        assert all("Код ОО" not in row for row in rows)
        return
    start = next(i for i, row in enumerate(rows) if "Код ОО" in row)
    by_school = rows[start + 1 :]
    assert {row[3] for row in by_school if row[0] == "2024"} == schools_shown
    a1 = next(row for row in by_school if row[0] == "2024" and row[3] == "A1")
    assert a1[5:] == ["100,00", "%", "3", "3"]


def test_xlsx_export(client, users):
    response = get(client, "/indicators/export.xlsx", users["methodologist"], indicator="IND-5")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Показатели"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Год"
    ind5 = next(row for row in rows if row[0] == 2024)
    assert ind5[3] == pytest.approx(66.67) and ind5[5] == 2 and ind5[6] == 3
    schools = list(book["По школам"].iter_rows(values_only=True))
    assert {row[3] for row in schools[1:] if row[0] == 2024} == {"A1", "B1"}
    # The public file has no breakdown and no withheld value.
    client.logout()
    book = load_workbook(io.BytesIO(client.get("/indicators/export.xlsx").content))
    assert book.sheetnames == ["Показатели"]
    public = [r for r in book["Показатели"].iter_rows(values_only=True) if r[:2] == (2024, "IND-5")]
    assert public[0][3] is None and public[0][-1] == WITHHELD


def test_json_export(client, users):
    data = json.loads(client.get("/indicators/export.json").content)
    assert data["years"] == [2021, 2023, 2024]
    ind4 = data["indicators"]["IND-4"]["values"]["2024"]
    assert ind4 == {
        "value": 0.6,
        "numerator": 3,
        "denominator": 5,
        "target": 0.8,
        "met": False,
    }
    assert data["indicators"]["IND-5"]["values"]["2024"]["value"] is None
    assert data["indicators"]["IND-5"]["values"]["2024"]["note"] == WITHHELD
    assert data["indicators"]["IND-3"]["values"]["2024"]["by_procedure"]["ОГЭ"] == {
        "value": pytest.approx(0.175),
        "previous": pytest.approx(0.3),
    }
    assert "by_school" not in data["indicators"]["IND-4"]
    data = json.loads(
        get(client, "/indicators/export.json", users["head"], indicator="IND-4").content
    )
    assert list(data["indicators"]) == ["IND-4"]
    assert {row["school_code"] for row in data["indicators"]["IND-4"]["by_school"]} == {"A1"}


# Targets in the admin ----------------------------------------------------------------------


ADD_URL = "/admin/monitoring/targets/new/"


def test_methodologist_sets_a_target_in_percent(client, users):
    client.force_login(users["methodologist"])
    assert client.get("/admin/monitoring/targets/").status_code == 200
    response = client.post(ADD_URL, {"code": "IND-4", "year": 2024, "value": "85,5"})
    assert response.status_code == 302
    target = IndicatorTarget.objects.get(code="IND-4", year=2024)
    assert target.value == Decimal("0.855")
    assert "Цель: 85,5 % — цель не достигнута" in card(
        client.get(DASHBOARD).content.decode(), "IND-4"
    )
    # The edit form shows the value back in percent.
    edit = client.get(f"/admin/monitoring/targets/edit/{target.pk}/").content.decode()
    assert 'value="85,50"' in edit
    # IND-8 is a count.
    assert client.post(ADD_URL, {"code": "IND-8", "year": 2024, "value": "7"}).status_code == 302
    assert IndicatorTarget.objects.get(code="IND-8").value == 7


@pytest.mark.parametrize(
    "data, field, message",
    [
        (
            {"code": "IND-4", "year": 2024, "value": "120"},
            "value",
            "Доля не может быть больше 100 %.",
        ),
        ({"code": "IND-4", "year": 2024, "value": "-5"}, "value", "не может быть отрицательным"),
        ({"code": "IND-4", "year": 2024, "value": "много"}, "value", "Введите число"),
        ({"code": "IND-8", "year": 2024, "value": "5,5"}, "value", "целое число"),
        ({"code": "IND-3", "year": 2024, "value": "10"}, "code", "У IND-3 нет целевого значения"),
        ({"code": "IND-4", "year": 1990, "value": "10"}, "year", "Год не может быть раньше"),
    ],
)
def test_target_validation_messages(client, users, data, field, message):
    client.force_login(users["methodologist"])
    response = client.post(ADD_URL, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert not IndicatorTarget.objects.exists()


def test_a_second_target_for_the_same_year_is_a_field_error(client, users):
    IndicatorTarget.objects.create(code="IND-4", year=2024, value=Decimal("0.9"))
    client.force_login(users["methodologist"])
    response = client.post(ADD_URL, {"code": "IND-4", "year": 2024, "value": "70"})
    assert response.status_code == 200
    assert response.context["form"].errors["year"] == [
        "Целевое значение IND-4 на 2024 год уже задано — измените существующую запись."
    ]
    assert IndicatorTarget.objects.get().value == Decimal("0.9")
    # Editing the existing one is no duplicate.
    target = IndicatorTarget.objects.get()
    response = client.post(
        f"/admin/monitoring/targets/edit/{target.pk}/",
        {"code": "IND-4", "year": 2024, "value": "70"},
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.value == Decimal("0.7")


@pytest.mark.parametrize("role", ["teacher", "head"])
def test_only_methodologists_edit_targets(client, users, role):
    client.force_login(users[role])
    response = client.post(ADD_URL, {"code": "IND-4", "year": 2024, "value": "50"})
    assert response.status_code in (302, 403)
    assert not IndicatorTarget.objects.exists()


# Home page, demo, queries ------------------------------------------------------------------


def test_home_page_shows_the_key_indicators(client, schools):
    html = client.get("/").content.decode()
    assert "Ключевые показатели 2024 года" in html
    for code in ("IND-1", "IND-4", "IND-6", "IND-7"):
        assert f'indicator-card__code">{code}<' in html
    assert 'indicator-card__code">IND-5<' not in html
    assert "60,0 %" in card(html, "IND-4")
    assert 'href="/indicators/"' in html


def test_home_page_without_data_has_no_indicator_section(client, home_page):
    assert "Ключевые показатели" not in client.get("/").content.decode()


def test_demo_pages_and_menu_item_are_idempotent(home_page):
    demo_indicators.build()
    demo_indicators.build()
    assert IndicatorPage.objects.count() == 2
    assert set(IndicatorPage.objects.values_list("indicator", flat=True)) == {"IND-4", "IND-6"}
    nav = NavigationSettings.for_site(home_page.get_site())
    assert MenuItem.objects.filter(setting=nav, link_url="/indicators/").count() == 1


def add_target_schools(count: int) -> None:
    """More target schools with staff lists: the query count must not grow with them."""
    from monitoring.models import Teacher

    for n in range(count):
        school = SchoolFactory(code=f"X{n}")
        SchoolStatusFactory(school=school, year=2024, status=Status.SHNOR)
        for k in range(3):
            teacher = Teacher.objects.create(code=f"x{n}-{k}", full_name=f"Педагог {n}-{k}")
            StaffEntry.objects.create(school=school, year=2024, teacher=teacher)


@pytest.mark.parametrize(
    "url, params",
    [
        (DASHBOARD, {}),
        ("/indicators/IND-4/", {}),
        ("/indicators/export.csv", {"indicator": "IND-2"}),
        ("/indicators/export.xlsx", {}),
        ("/indicators/export.json", {}),
        ("/", {}),
    ],
)
def test_queries_do_not_grow_with_schools(
    client, users, django_assert_max_num_queries, url, params
):
    client.force_login(users["methodologist"])
    client.get(url, params)  # warm the site and settings caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(url, params).status_code == 200
    # Counted now: the next request clears the connection's query log.
    baseline = len(small.captured_queries)
    assert 0 < baseline <= 40
    add_target_schools(20)
    client.get(url, params)
    with django_assert_max_num_queries(baseline):
        response = client.get(url, params)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "role, shown", [("methodologist", True), ("teacher", False), (None, False)]
)
def test_methodologist_writes_a_recommendation_from_an_indicator(client, users, role, shown):
    html = get(client, "/indicators/IND-4/?year=2024", users.get(role)).content.decode()
    assert ("Написать адресную рекомендацию по показателю" in html) is shown
    if shown:
        assert "basis=indicator" in html and "indicator=IND-4" in html
