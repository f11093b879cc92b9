"""The screening rule of domain.md against values computed by hand."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from monitoring.models import ScreeningSettings
from monitoring.screening import screen

from . import dataset

pytestmark = pytest.mark.django_db


@pytest.fixture
def schools():
    return dataset.build()


def screening_json(year):
    out = StringIO()
    call_command("screening", "--year", str(year), "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_screening_2024_by_hand(schools):
    rows = screening_json(2024)
    # Ranked by U_rm, undefined last; F1's results are of 2022 only.
    assert [row["school_code"] for row in rows] == ["D1", "A1", "G1", "B1", "C1", "E1"]
    by_code = {row["school_code"]: row for row in rows}

    a1 = by_code["A1"]
    assert a1["u_rm"] == pytest.approx(23 / 100)
    assert a1["h_rm"] == pytest.approx(4 / 100)
    assert a1["u_other"] == pytest.approx(5 / 25)  # exactly 20 %: flags
    assert a1["repeats"] == 2  # ШНОР in 2021 and 2023; 2024 is not before Y
    assert a1["flagged"] is True and len(a1["reasons"]) == 2

    b1 = by_code["B1"]  # ГВЭ is not screened
    assert b1["u_rm"] == pytest.approx(0.1) and b1["h_rm"] == 0.0
    assert b1["u_other"] is None and b1["flagged"] is False and b1["reasons"] == []

    c1 = by_code["C1"]
    assert c1["u_rm"] == pytest.approx(1 / 100) and c1["h_rm"] == pytest.approx(38 / 100)
    assert c1["flagged"] is False

    d1 = by_code["D1"]  # unconfirmed statuses are not repeats
    assert d1["u_rm"] == pytest.approx(0.4) and d1["u_other"] == pytest.approx(0.1)
    assert d1["repeats"] == 0 and d1["flagged"] is True and len(d1["reasons"]) == 1

    g1 = by_code["G1"]  # exactly 15 % and 5 %
    assert g1["u_rm"] == pytest.approx(0.15) and g1["h_rm"] == pytest.approx(0.05)
    assert g1["flagged"] is True

    e1 = by_code["E1"]
    assert e1["u_rm"] is None and e1["h_rm"] is None and e1["u_other"] is None
    assert e1["flagged"] is False and e1["repeats"] == 0


def test_municipal_values(schools):
    result = screen(2024)
    assert result.municipal_core.participants == 250
    assert result.municipal_u_rm == pytest.approx(36 / 250)
    assert result.municipal_h_rm == pytest.approx(43 / 250)
    assert result.municipal_u_other == pytest.approx(6 / 35)


def test_thresholds_are_settings(schools):
    settings = ScreeningSettings.load()
    settings.failing_core_min = Decimal("25")
    settings.failing_other_min = Decimal("30")
    settings.save()
    flagged = {row["school_code"] for row in screening_json(2024) if row["flagged"]}
    assert flagged == {"D1"}


def test_no_results_gives_an_empty_list(db):
    assert screening_json(2024) == []
