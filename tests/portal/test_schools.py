"""The public school registry: directory with filters, a school's page, editing by its head."""

import re

import pytest

from portal import selectors
from portal.models import Status
from tests.factories import (
    MethodologistFactory,
    SchoolFactory,
    SchoolHeadFactory,
    SchoolStatusFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db


def listed_codes(response):
    """School codes in the directory table, in order."""
    return re.findall(
        r'class="table__primary-link" href="/schools/([^/]+)/"', response.content.decode()
    )


@pytest.fixture
def registry(db):
    """Five schools with statuses for 2023 and 2024."""
    schools = {
        "shnor": SchoolFactory(
            code="250101",
            short_name="МБОУ «СОШ № 1»",
            district="Центральный",
            address="ул. Ленина, 1",
        ),
        "shnsu": SchoolFactory(
            code="250102",
            short_name="МБОУ «СОШ № 2»",
            district="Северный",
            address="ул. Мира, 5",
        ),
        "leader": SchoolFactory(
            code="250401",
            short_name="МАОУ «Гимназия № 1»",
            district="Центральный",
            name="Муниципальное автономное общеобразовательное учреждение «Гимназия № 1»",
            address="пр. Победы, 10",
        ),
        "none": SchoolFactory(
            code="250105",
            short_name="МБОУ «СОШ № 5»",
            district="Северный",
            address="ул. Садовая, 3",
        ),
        "nostatus": SchoolFactory(
            code="250199",
            short_name="МБОУ «ООШ № 9»",
            district="Южный",
            address="ул. Лесная, 7",
        ),
    }
    SchoolStatusFactory(school=schools["shnor"], year=2024, status=Status.SHNOR)
    SchoolStatusFactory(school=schools["shnsu"], year=2024, status=Status.SHNSU)
    SchoolStatusFactory(school=schools["leader"], year=2024, status=Status.LEADER)
    SchoolStatusFactory(school=schools["none"], year=2024, status=Status.NONE)
    # 2023: СОШ № 5 was ШНОР, СОШ № 1 had no status recorded.
    SchoolStatusFactory(school=schools["none"], year=2023, status=Status.SHNOR)
    SchoolStatusFactory(school=schools["leader"], year=2023, status=Status.LEADER)
    # An unconfirmed (screening) proposal does not count.
    SchoolStatusFactory(school=schools["nostatus"], year=2024, status=Status.SHNOR, confirmed=False)
    return schools


# --- Directory ---------------------------------------------------------------------------------


def test_directory_lists_all_schools_ordered_by_code(client, registry):
    response = client.get("/schools/")
    assert response.status_code == 200
    assert listed_codes(response) == ["250101", "250102", "250105", "250199", "250401"]
    assert "Найдено школ: 5" in response.content.decode()
    assert response.context["year"] == 2024  # the latest year by default
    assert response.context["status"] == "all"


@pytest.mark.parametrize(
    ("status", "codes"),
    [
        ("shnor", ["250101"]),
        ("shnsu", ["250102"]),
        ("leader", ["250401"]),
        ("none", ["250105", "250199"]),
        ("all", ["250101", "250102", "250105", "250199", "250401"]),
        ("bogus", ["250101", "250102", "250105", "250199", "250401"]),
    ],
)
def test_directory_filters_by_status_of_latest_year(client, registry, status, codes):
    response = client.get("/schools/", {"status": status})
    assert listed_codes(response) == codes


@pytest.mark.parametrize(
    ("status", "codes"),
    [
        ("shnor", ["250105"]),
        ("leader", ["250401"]),
        ("shnsu", []),
        ("none", ["250101", "250102", "250199"]),
    ],
)
def test_directory_filters_by_status_of_given_year(client, registry, status, codes):
    response = client.get("/schools/", {"status": status, "year": "2023"})
    assert response.context["year"] == 2023
    assert listed_codes(response) == codes


def test_directory_empty_result_message(client, registry):
    response = client.get("/schools/", {"status": "shnsu", "year": "2023"})
    assert "По выбранным условиям школ не найдено" in response.content.decode()


@pytest.mark.parametrize("year", ["1999", "abc", "", "2025"])
def test_directory_unknown_year_falls_back_to_latest(client, registry, year):
    response = client.get("/schools/", {"year": year, "status": "shnor"})
    assert response.status_code == 200
    assert response.context["year"] == 2024
    assert listed_codes(response) == ["250101"]


def test_directory_counts_per_status(client, registry):
    response = client.get("/schools/", {"year": "2024"})
    assert response.context["counts"] == {"ШНОР": 1, "ШНСУ": 1, "лидер": 1, "": 1}
    text = response.content.decode()
    assert re.search(r'value="shnor".*?<span class="filters__count">1</span>', text)
    assert re.search(r'value="leader".*?<span class="filters__count">1</span>', text)
    counts_2023 = client.get("/schools/", {"year": "2023"}).context["counts"]
    assert counts_2023 == {"ШНОР": 1, "ШНСУ": 0, "лидер": 1, "": 0}


def test_directory_shows_status_badges(client, registry):
    text = client.get("/schools/", {"year": "2024"}).content.decode()
    assert '<span class="status status--shnor">ШНОР</span>' in text
    assert '<span class="status status--leader">Школа-лидер</span>' in text
    assert "Статус в 2024 г." in text


def test_directory_filters_by_district(client, registry):
    response = client.get("/schools/", {"district": "Северный"})
    assert listed_codes(response) == ["250102", "250105"]
    assert response.context["districts"] == ["Северный", "Центральный", "Южный"]


def test_directory_combines_district_and_status(client, registry):
    response = client.get("/schools/", {"district": "Центральный", "status": "leader"})
    assert listed_codes(response) == ["250401"]


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("СОШ № 2", ["250102"]),
        ("Гимназия", ["250401"]),
        ("автономное", ["250401"]),  # full name
        ("250105", ["250105"]),  # code, exactly
        ("Садовая", ["250105"]),  # address
        ("  Садовая  ", ["250105"]),
        ("ничего такого", []),
    ],
)
def test_directory_search(client, registry, query, codes):
    assert listed_codes(client.get("/schools/", {"q": query})) == codes


def test_directory_search_ignores_case_of_cyrillic(client, registry):
    assert listed_codes(client.get("/schools/", {"q": "гимназия"})) == ["250401"]


def test_directory_search_strips_nul_and_limits_length(client, registry):
    response = client.get("/schools/", {"q": "Садовая\x00"})
    assert response.status_code == 200
    assert listed_codes(response) == ["250105"]
    response = client.get("/schools/", {"q": "х" * 5000})
    assert response.status_code == 200
    assert len(response.context["query"]) == 100


def test_directory_district_with_nul_byte_is_not_an_error(client, registry):
    client.raise_request_exception = False
    response = client.get("/schools/?district=%D0%AE%00")
    assert response.status_code == 200
    assert listed_codes(response) == []


def test_school_code_with_nul_byte_is_404(client, registry):
    client.raise_request_exception = False
    assert client.get("/schools/2501%0001/").status_code == 404


def test_directory_pagination(client):
    for number in range(25):
        SchoolFactory(code=f"26{number:04d}")
    first = client.get("/schools/")
    assert len(listed_codes(first)) == 20
    assert "Найдено школ: 25" in first.content.decode()
    assert "Страница 1 из 2" in first.content.decode()
    second = client.get("/schools/", {"page": "2"})
    assert len(listed_codes(second)) == 5
    assert set(listed_codes(first)).isdisjoint(listed_codes(second))
    # An invalid page number falls back to a valid page rather than failing.
    assert client.get("/schools/", {"page": "999"}).status_code == 200
    assert client.get("/schools/", {"page": "abc"}).status_code == 200


def test_pagination_keeps_filters(client):
    for number in range(25):
        school = SchoolFactory(code=f"26{number:04d}", district="Южный")
        SchoolStatusFactory(school=school, year=2024, status=Status.SHNOR)
    text = client.get("/schools/", {"status": "shnor", "district": "Южный"}).content.decode()
    next_link = re.search(r'href="(\?[^"]*)" rel="next"', text).group(1)
    assert "status=shnor" in next_link
    assert "page=2" in next_link


def test_directory_without_any_status(client):
    SchoolFactory(code="250001")
    response = client.get("/schools/", {"status": "shnor"})
    assert response.status_code == 200
    assert response.context["year"] is None
    assert listed_codes(response) == ["250001"]


def test_directory_query_count_does_not_grow(client, home_page, queries_do_not_grow):
    for _ in range(5):
        SchoolStatusFactory(year=2024, status=Status.LEADER)

    def add_more():
        for _ in range(25):
            SchoolStatusFactory(year=2024, status=Status.LEADER)

    response = queries_do_not_grow(
        lambda: client.get("/schools/", {"year": "2024", "status": "leader"}), add_more
    )
    assert len(listed_codes(response)) == 20


# --- A school's page ---------------------------------------------------------------------------


def test_school_page_shows_status_history_with_basis(client, registry):
    school = registry["leader"]
    school.email = "gym1@example.ru"
    school.phone = "+7 (423) 000-00-01"
    school.save()
    response = client.get("/schools/250401/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "МАОУ «Гимназия № 1»" in text
    assert "Статусы по годам" in text
    rows = re.findall(r'<tr><th scope="row">(\d{4})</th><td>.*?</td><td>(.*?)</td></tr>', text)
    assert rows == [("2024", "по данным Рособрнадзора"), ("2023", "по данным Рособрнадзора")]
    assert "Школа-лидер</span> в 2024 году" in text
    assert "mailto:gym1@example.ru" in text
    # Only the head or a methodologist sees the edit link.
    assert "/schools/250401/edit/" not in text


def test_school_page_hides_unconfirmed_status(client, registry):
    text = client.get("/schools/250199/").content.decode()
    assert "Статусы школы не установлены." in text
    assert "status--shnor" not in text


def test_school_page_basis_dash_when_empty(client):
    school = SchoolFactory(code="250300")
    SchoolStatusFactory(school=school, year=2022, status=Status.SHNSU, basis="")
    text = client.get("/schools/250300/").content.decode()
    assert re.search(r'<th scope="row">2022</th><td>.*?ШНСУ.*?</td><td>—</td>', text)


def test_unknown_school_is_russian_404(client):
    response = client.get("/schools/000000/")
    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()


def test_school_page_query_count_does_not_grow(client, home_page, queries_do_not_grow):
    school = SchoolFactory(code="250500")
    for year in (2021, 2022, 2023):
        SchoolStatusFactory(school=school, year=year)

    def add_more():
        for year in range(2000, 2020):
            SchoolStatusFactory(school=school, year=year)

    response = queries_do_not_grow(lambda: client.get("/schools/250500/"), add_more)
    assert response.content.decode().count('<th scope="row">') == 23


def test_selectors_status_years_and_latest(registry):
    assert selectors.status_years() == [2024, 2023]
    assert selectors.latest_status_year() == 2024
    assert selectors.school_count() == 5


# --- Editing -----------------------------------------------------------------------------------


EDIT_URL = "/schools/250103/edit/"


@pytest.fixture
def school(db):
    return SchoolFactory(code="250103", short_name="МБОУ «СОШ № 3»", email="old@example.ru")


def edit_data(**overrides):
    data = {
        "address": "ул. Новая, 1",
        "head": "Гончаренко Олег Викторович",
        "email": "sosh3@example.ru",
        "phone": "+7 (423) 111-22-33",
        "website": "https://sosh3.example.ru",
        "description": "Школа с углублённым изучением математики.",
    }
    data.update(overrides)
    return data


def test_head_can_edit_own_school(client, school):
    client.force_login(SchoolHeadFactory(school=school))
    assert "Изменить сведения о школе" in client.get("/schools/250103/").content.decode()
    page = client.get(EDIT_URL)
    assert page.status_code == 200
    assert 'name="email"' in page.content.decode()
    assert 'name="code"' not in page.content.decode()  # the registry keeps the code
    response = client.post(EDIT_URL, edit_data())
    assert response.status_code == 302
    assert response["Location"] == "/schools/250103/"
    school.refresh_from_db()
    assert school.email == "sosh3@example.ru"
    assert school.address == "ул. Новая, 1"
    assert school.description == "Школа с углублённым изучением математики."
    assert "Сведения о школе сохранены." in client.get("/schools/250103/").content.decode()


def test_head_cannot_change_code_or_name(client, school):
    client.force_login(SchoolHeadFactory(school=school))
    client.post(EDIT_URL, edit_data(code="999999", short_name="Другое"))
    school.refresh_from_db()
    assert school.code == "250103"
    assert school.short_name == "МБОУ «СОШ № 3»"


def test_methodologist_can_edit_any_school(client, school):
    client.force_login(MethodologistFactory())
    assert client.get(EDIT_URL).status_code == 200
    assert client.post(EDIT_URL, edit_data(phone="8-800")).status_code == 302
    school.refresh_from_db()
    assert school.phone == "8-800"


@pytest.mark.parametrize(
    "make_user",
    [
        lambda school: SchoolHeadFactory(),  # head of another school
        lambda school: TeacherFactory(school=school),  # teacher of this school
        lambda school: SchoolHeadFactory(school=school, membership="pending"),
    ],
    ids=["other-head", "teacher", "unconfirmed-head"],
)
def test_others_may_not_edit(client, school, make_user):
    client.force_login(make_user(school))
    assert client.get(EDIT_URL).status_code == 403
    assert client.post(EDIT_URL, edit_data()).status_code == 403
    school.refresh_from_db()
    assert school.email == "old@example.ru"
    assert "Изменить сведения о школе" not in client.get("/schools/250103/").content.decode()


def test_forbidden_page_is_russian(client, school):
    client.force_login(TeacherFactory(school=school))
    response = client.get(EDIT_URL)
    assert response.status_code == 403
    text = response.content.decode()
    assert 'lang="ru"' in text
    assert "Доступ запрещён" in text
    assert 'href="/cabinet/"' in text


def test_anonymous_edit_redirects_to_login(client, school):
    response = client.get(EDIT_URL)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={EDIT_URL}"
    assert client.post(EDIT_URL, edit_data()).status_code == 302
    school.refresh_from_db()
    assert school.email == "old@example.ru"


def test_invalid_email_is_refused_in_russian(client, school):
    client.force_login(SchoolHeadFactory(school=school))
    response = client.post(EDIT_URL, edit_data(email="не-почта"))
    assert response.status_code == 200
    text = response.content.decode()
    assert re.search(r'id="id_email_error">Введите правильный адрес электронной почты', text)
    assert "Проверьте, пожалуйста, форму" in text
    school.refresh_from_db()
    assert school.email == "old@example.ru"
    assert school.address != "ул. Новая, 1"


def test_edit_unknown_school_is_404(client):
    client.force_login(MethodologistFactory())
    assert client.get("/schools/nope/edit/").status_code == 404
