"""Effectiveness of the measures against values computed by hand from the dataset."""

import pytest
from django.urls import reverse

from monitoring import effectiveness
from monitoring.effectiveness import IMPROVED, NO_DATA, NOT_IMPROVED, analyse, verdict
from portal.models import SchoolStatus, Status
from tests.factories import SchoolFactory, SchoolStatusFactory

from . import dataset
from .analysis_helpers import client_for, people

pytestmark = pytest.mark.django_db


@pytest.fixture
def schools():
    return dataset.build()


def values(effect, code):
    track = effect.track(code)
    return [track.values[year].value for year in sorted(track.values)], track.verdicts


def test_verdict_rule():
    assert verdict(0.3, 0.2, lower_is_better=True) == IMPROVED
    assert verdict(0.3, 0.3, lower_is_better=True) == NOT_IMPROVED
    assert verdict(0.3, 0.4, lower_is_better=True) == NOT_IMPROVED
    assert verdict(0.5, 0.6, lower_is_better=False) == IMPROVED
    assert verdict(0.5, 0.5, lower_is_better=False) == NOT_IMPROVED
    assert verdict(None, 0.1, lower_is_better=True) == NO_DATA
    assert verdict(0.1, None, lower_is_better=False) == NO_DATA
    # A share of 0 is data, not its absence.
    assert verdict(0.0, 0.1, lower_is_better=False) == IMPROVED


def test_included_in_2023_by_hand(schools):
    result = analyse(2023)
    assert result.years == [2023, 2024, 2025]
    # A1 is the only confirmed ШНОР of 2023.
    assert [effect.school.code for effect in result.schools] == ["A1"]
    a1 = result.schools[0]

    # F: 2023 (12 + 3) / (40 + 10); 2024 (2 + 6) / (20 + 30); no results in 2025.
    failing, verdicts = values(a1, "failing_core")
    assert failing == [pytest.approx(15 / 50), pytest.approx(8 / 50), None]
    assert verdicts == {2024: IMPROVED, 2025: NO_DATA}

    # Support: 2023 staff {t1, t2}, t2 supported (2023-12-31); 2024 staff {t1, t2, t3},
    # t1 supported (2024-03-01); no staff list for 2025.
    support, verdicts = values(a1, "support")
    assert support == [pytest.approx(1 / 2), pytest.approx(1 / 3), None]
    assert verdicts == {2024: NOT_IMPROVED, 2025: NO_DATA}
    assert a1.track("support").values[2024].numerator == 1
    assert a1.track("support").values[2024].denominator == 3

    # Diagnostics: every teacher of the staff list had one in 2023 and in 2024 (equal: not
    # improved); t3's diagnostic of 2025 does not count without a staff list of 2025.
    diagnostics, verdicts = values(a1, "diagnostics")
    assert diagnostics == [1.0, 1.0, None]
    assert verdicts == {2024: NOT_IMPROVED, 2025: NO_DATA}

    # U_rm over Y−1 and Y: 2023 → 15/50 (nothing in 2022); 2024 → 23/100; 2025 → 8/50.
    u_rm, verdicts = values(a1, "u_rm")
    assert u_rm == [pytest.approx(0.3), pytest.approx(0.23), pytest.approx(0.16)]
    assert verdicts == {2024: IMPROVED, 2025: IMPROVED}


def test_gve_counts_in_f_not_in_u_rm(schools):
    # B1 becomes a confirmed ШНОР of 2024: ОГЭ « математика » 10/1 and ГВЭ Русский 2/1.
    SchoolStatus.objects.filter(school=schools["B1"], year=2024).update(status=Status.SHNOR)
    result = analyse(2024)
    assert [effect.school.code for effect in result.schools] == ["A1", "B1"]
    b1 = result.schools[1]
    assert b1.track("failing_core").values[2024].value == pytest.approx(2 / 12)
    assert b1.track("u_rm").values[2024].value == pytest.approx(1 / 10)
    # B1's staff of 2024: t3, t4, t5; none supported in 2024; t3 diagnosed in 2024.
    assert b1.track("support").values[2024].value == 0.0
    assert b1.track("diagnostics").values[2024].value == pytest.approx(1 / 3)


def test_unconfirmed_and_other_statuses_are_not_included(schools):
    # D1's proposals of 2022 and 2024 are unconfirmed; B1 is ШНСУ in 2024.
    assert [effect.school.code for effect in analyse(2024).schools] == ["A1"]
    assert analyse(2022).schools == []


def test_summary_counts(schools):
    summary = {(row["measure"].code, row["year"]): row for row in analyse(2023).summary()}
    assert summary[("failing_core", 2024)][IMPROVED] == 1
    assert summary[("failing_core", 2025)][NO_DATA] == 1
    assert summary[("support", 2024)][NOT_IMPROVED] == 1
    assert len(summary) == len(effectiveness.MEASURES) * 2


def test_page_for_methodologists_only(client, home_page, schools):
    users = people(schools)
    url = reverse("monitoring:effectiveness") + "?year=2023"
    for role in ("teacher", "myself", "head", "other_head"):
        assert client_for(client, users[role]).get(url).status_code == 403, role
    assert client_for(client, None).get(url).status_code == 302
    for role in ("methodologist", "administrator"):
        response = client_for(client, users[role]).get(url)
        assert response.status_code == 200, role
    content = response.content.decode()
    assert "Школа A1" in content
    assert "30,0 %" in content and "16,0 %" in content  # F in 2023 and 2024
    assert "улучшился" in content and "нет данных" in content
    assert "basis=effectiveness" in content


def test_page_query_count_does_not_grow(client, home_page, schools, django_assert_max_num_queries):
    users = people(schools)
    for n in range(15):
        SchoolStatusFactory(school=SchoolFactory(code=f"X{n}"), year=2023, status=Status.SHNOR)
    client_for(client, users["methodologist"])
    # The page shell (session, settings, menus) takes about 20; the analysis six.
    with django_assert_max_num_queries(30):
        response = client.get(reverse("monitoring:effectiveness") + "?year=2023")
    assert response.status_code == 200
    assert len(response.context["rows"]) == 16
