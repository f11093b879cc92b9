"""IND-1 … IND-9 against values computed by hand on tests/monitoring/dataset.py."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from monitoring.indicators import compute_indicators, compute_year
from monitoring.models import IndicatorTarget

from . import dataset

pytestmark = pytest.mark.django_db


@pytest.fixture
def schools():
    return dataset.build()


def indicators_json(year):
    out = StringIO()
    call_command("indicators", "--year", str(year), "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_indicators_2024_by_hand(schools):
    data = indicators_json(2024)
    assert list(data) == [f"IND-{n}" for n in range(1, 10)]
    # S(2024) = {A1, B1}: D1's ШНОР is only proposed. T(2024) = {t1, t2, t3, t4, t5}.
    assert data["IND-1"] == {"value": 0.0, "numerator": 0, "denominator": 2, "target": 0.3}
    # Only t1 has support dated in 2024 (t4's is of 2023, t6 is not in T).
    assert data["IND-2"] == {"value": 0.2, "numerator": 1, "denominator": 5, "target": None}
    ind3 = data["IND-3"]
    assert ind3["numerator"] == 15 and ind3["denominator"] == 87
    assert ind3["value"] == pytest.approx(15 / 87)
    assert ind3["previous"] == pytest.approx(15 / 50)
    assert ind3["change"] == pytest.approx(15 / 87 - 0.3)
    assert ind3["target"] is None
    assert ind3["by_procedure"] == {
        "ЕГЭ": {"value": pytest.approx(0.1), "previous": None},
        "ОГЭ": {"value": pytest.approx(7 / 40), "previous": pytest.approx(0.3)},
        "ГВЭ": {"value": pytest.approx(0.5), "previous": None},
        "ВПР": {"value": pytest.approx(0.2), "previous": pytest.approx(0.3)},
    }
    # t1, t2, t3 have a diagnostic dated 2024.
    assert data["IND-4"] == {"value": 0.6, "numerator": 3, "denominator": 5, "target": 0.8}
    # t1 improved in its only qualifying series; t2 fell in one of two; t3 improved within
    # 2024 (its 2025 diagnostic does not count).
    assert data["IND-5"]["numerator"] == 2 and data["IND-5"]["denominator"] == 3
    assert data["IND-5"]["value"] == pytest.approx(2 / 3)
    # F(A1): 8/50 in 2024 < 15/50 in 2023; F(B1, 2023) undefined, so B1 is left out.
    assert data["IND-6"] == {"value": 1.0, "numerator": 1, "denominator": 1, "target": 0.8}
    # A1 through t1; B1 has no supported teacher and no agreement.
    assert data["IND-7"] == {"value": 0.5, "numerator": 1, "denominator": 2, "target": 1.0}
    assert data["IND-8"] == {"value": 0, "numerator": 0, "denominator": None, "target": 5.0}
    # A1's approved programme covers 2024; B1's starts in 2025 and its 2024 one is a draft.
    assert data["IND-9"] == {"value": 0.5, "numerator": 1, "denominator": 2, "target": 1.0}


def test_indicators_2023_and_the_undefined(schools):
    data = indicators_json(2023)
    # S(2023) = {A1}, T(2023) = {t1, t2}.
    assert data["IND-2"]["value"] == 0.5  # t2's seminar of 31.12.2023
    assert data["IND-4"]["value"] == 1.0
    # No series has its latest diagnostic in 2023 and an earlier one.
    assert data["IND-5"] == {"value": None, "numerator": 0, "denominator": 0, "target": None}
    # F(A1, 2022) undefined: no school to compare.
    assert data["IND-6"]["value"] is None and data["IND-6"]["denominator"] == 0
    assert data["IND-3"]["value"] == pytest.approx(0.3)
    assert data["IND-3"]["previous"] is None and data["IND-3"]["change"] is None


def test_a_year_without_target_schools_is_undefined_not_zero(schools):
    data = indicators_json(2030)
    for code in ("IND-1", "IND-2", "IND-3", "IND-4", "IND-5", "IND-6", "IND-7", "IND-9"):
        assert data[code]["value"] is None, code
    assert data["IND-8"]["value"] == 0
    assert data["IND-7"]["target"] == 1.0 and data["IND-1"]["target"] is None


def test_targets_set_by_methodologist_replace_defaults(schools):
    IndicatorTarget.objects.create(code="IND-4", year=2024, value=Decimal("0.85"))
    IndicatorTarget.objects.create(code="IND-2", year=2024, value=Decimal("0.5"))
    data = indicators_json(2024)
    assert data["IND-4"]["target"] == 0.85
    assert data["IND-2"]["target"] == 0.5
    assert data["IND-1"]["target"] == 0.3


def test_schools_behind_the_figures(schools):
    ind = compute_year(2024)
    a1, b1 = schools["A1"].pk, schools["B1"].pk
    assert ind["IND-2"].by_school == {a1: (1, 3), b1: (0, 3)}
    assert ind["IND-7"].numerator_schools == {a1}
    assert ind["IND-7"].denominator_schools == {a1, b1}
    assert ind["IND-6"].denominator_schools == {a1}
    assert ind["IND-3"].by_school == {a1: (13, 75), b1: (2, 12)}


def test_several_years_at_once_match_one_by_one(schools):
    together = compute_indicators([2023, 2024])
    for year in (2023, 2024):
        alone = compute_year(year)
        for code, indicator in alone.items():
            assert together[year][code].as_json() == indicator.as_json(), (year, code)


def test_query_count_does_not_grow_with_years(schools, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        compute_indicators([2020, 2021, 2022, 2023, 2024])


def test_text_format(schools):
    out = StringIO()
    call_command("indicators", "--year", "2024", stdout=out)
    text = out.getvalue()
    line = next(line for line in text.splitlines() if line.startswith("IND-4"))
    assert "60,0 %" in line and "(3 / 5; цель 80,0 %)" in line
    assert "ГВЭ: 50,0 % (в 2023 году нет данных)" in text


def test_no_years_no_indicators(db):
    assert compute_indicators([]) == {}
