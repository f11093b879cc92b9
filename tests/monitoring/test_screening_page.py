"""The screening page: the ranked table for methodologists, their decisions and proposals."""

import pytest
from django.urls import reverse

from portal.models import SchoolStatus, Status
from tests.factories import SchoolFactory

from . import dataset
from .analysis_helpers import client_for, people

pytestmark = pytest.mark.django_db

URL = reverse("monitoring:screening")
DECIDE = reverse("monitoring:screening_decide")
PROPOSE = reverse("monitoring:screening_propose")


@pytest.fixture
def schools():
    return dataset.build()


@pytest.fixture
def users(schools):
    return people(schools)


@pytest.fixture
def methodologist_client(client, users, home_page):
    return client_for(client, users["methodologist"])


def test_only_methodologists_see_it(client, users, home_page):
    assert client_for(client, None).get(URL).status_code == 302
    for role in ("teacher", "myself", "head", "other_head", "other_teacher"):
        assert client_for(client, users[role]).get(URL + "?year=2024").status_code == 403, role
        assert client_for(client, users[role]).post(DECIDE, {}).status_code == 403, role
        assert client_for(client, users[role]).post(PROPOSE, {"year": 2024}).status_code == 403
    assert client_for(client, users["administrator"]).get(URL).status_code == 200


def test_ranked_table_with_municipal_values(methodologist_client):
    response = methodologist_client.get(URL + "?year=2024")
    assert response.status_code == 200
    codes = [item["row"].school.code for item in response.context["rows"]]
    assert codes == ["D1", "A1", "G1", "B1", "C1", "E1"]
    content = response.content.decode()
    # Municipal over 2023–2024, ВПР/ОГЭ/ЕГЭ: U_rm 36/250, H_rm 43/250, U_other 6/35.
    assert "14,4 %" in content and "17,2 %" in content and "17,1 %" in content
    # A1's row: U_rm 23 %, H_rm 4 %, U_other 20 %, two earlier years as ШНОР.
    assert "23,0 %" in content and "4,0 %" in content and "20,0 %" in content
    # E1 has ГВЭ only: its shares are undefined («—»), and it is not flagged.
    e1 = next(item for item in response.context["rows"] if item["row"].school.code == "E1")
    assert e1["row"].u_rm is None and not e1["row"].flagged
    # Thresholds and the link to edit them.
    assert "/admin/settings/monitoring/screeningsettings/" in content
    assert "предложение, не подтверждено" in content  # D1's proposal
    assert "basis=screening" in content and "school=A1" in content


def test_default_year_is_the_latest_with_results(methodologist_client):
    assert methodologist_client.get(URL).context["year"] == 2024
    assert methodologist_client.get(URL + "?year=abc").context["year"] == 2024


def test_confirm_records_a_confirmed_status(methodologist_client, users, schools):
    response = methodologist_client.post(
        DECIDE,
        {"school": "D1", "year": 2024, "decision": "confirm", "basis": "ФИС ОКО, 2024"},
    )
    assert response.status_code == 302 and response["Location"].endswith("#school-D1")
    status = SchoolStatus.objects.get(school=schools["D1"], year=2024)
    assert status.status == Status.SHNOR and status.confirmed
    assert status.source == SchoolStatus.Source.SCREENING
    assert status.basis == "ФИС ОКО, 2024"
    assert status.decided_by == users["methodologist"]
    assert schools["D1"].pk in set(
        SchoolStatus.objects.targets(2024).values_list("school_id", flat=True)
    )


def test_confirm_without_basis_is_refused_at_the_row(methodologist_client, schools):
    response = methodologist_client.post(
        DECIDE, {"school": "D1", "year": 2024, "decision": "confirm", "basis": "  "}
    )
    assert response.status_code == 400
    row = next(item for item in response.context["rows"] if item["row"].school.code == "D1")
    assert "Укажите основание" in row["error"]
    assert 'aria-invalid="true"' in response.content.decode()
    status = SchoolStatus.objects.get(school=schools["D1"], year=2024)
    assert not status.confirmed  # nothing saved


def test_unknown_school_or_bad_year(methodologist_client):
    response = methodologist_client.post(
        DECIDE, {"school": "NOPE", "year": 2024, "decision": "reject"}
    )
    assert response.status_code == 400
    assert "не найдена" in response.content.decode()
    response = methodologist_client.post(
        DECIDE, {"school": "A1", "year": 1800, "decision": "reject"}
    )
    assert response.status_code == 400
    assert SchoolStatus.objects.get(school__code="A1", year=2024).status == Status.SHNOR


def test_reject_records_no_status_as_a_fact(methodologist_client, schools):
    methodologist_client.post(DECIDE, {"school": "D1", "year": 2024, "decision": "reject"})
    status = SchoolStatus.objects.get(school=schools["D1"], year=2024)
    assert status.status == Status.NONE and status.confirmed
    assert status.basis == "не подтверждено по итогам скрининга"
    assert status.source == SchoolStatus.Source.SCREENING
    methodologist_client.post(
        DECIDE, {"school": "G1", "year": 2024, "decision": "reject", "basis": "перепроверка"}
    )
    assert (
        SchoolStatus.objects.get(school=schools["G1"], year=2024).basis
        == "не подтверждено по итогам скрининга: перепроверка"
    )


def test_decisions_only_by_post(methodologist_client):
    assert methodologist_client.get(DECIDE).status_code == 405
    assert methodologist_client.get(PROPOSE).status_code == 405


def test_propose_records_unconfirmed_proposals(methodologist_client, schools):
    before_targets = set(SchoolStatus.objects.targets(2024).values_list("school_id", flat=True))
    response = methodologist_client.post(PROPOSE, {"year": 2024})
    assert response.status_code == 302
    # Flagged in 2024: D1 (already proposed), A1 (already confirmed), G1 (no status).
    proposal = SchoolStatus.objects.get(school=schools["G1"], year=2024)
    assert proposal.status == Status.SHNOR and not proposal.confirmed
    assert proposal.source == SchoolStatus.Source.SCREENING
    assert SchoolStatus.objects.get(school=schools["A1"], year=2024).confirmed
    assert SchoolStatus.objects.filter(year=2024).count() == 5
    # Proposals do not count in S(Y).
    after = set(SchoolStatus.objects.targets(2024).values_list("school_id", flat=True))
    assert after == before_targets
    # A second press adds nothing.
    methodologist_client.post(PROPOSE, {"year": 2024})
    assert SchoolStatus.objects.filter(year=2024).count() == 5
    # The page now offers no proposal button.
    assert methodologist_client.get(URL + "?year=2024").context["unproposed"] == 0


def test_propose_with_a_bad_year(methodologist_client):
    response = methodologist_client.post(PROPOSE, {"year": "двадцать"}, follow=True)
    assert "Год скрининга указан неверно" in response.content.decode()


def test_query_count_does_not_grow(methodologist_client, django_assert_max_num_queries):
    from monitoring.models import AssessmentResult

    for n in range(20):
        school = SchoolFactory(code=f"Z{n}")
        AssessmentResult.objects.create(
            school=school,
            year=2024,
            procedure="ОГЭ",
            subject="Математика",
            participants=10,
            failed=n % 5,
            high=1,
        )
    with django_assert_max_num_queries(32):
        response = methodologist_client.get(URL + "?year=2024")
    assert len(response.context["rows"]) == 26
