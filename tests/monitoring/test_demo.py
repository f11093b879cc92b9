"""The monitoring demo data: re-runnable without duplicates, and every indicator that does not
depend on agreements has a value for 2022–2024."""

import time

from django.core import mail
from django.test import TestCase, override_settings

from monitoring import demo
from monitoring.indicators import compute_indicators
from monitoring.models import (
    AssessmentResult,
    Diagnostic,
    ImportBatch,
    ImprovementProgramme,
    Recommendation,
    SchoolContext,
    StaffEntry,
    SupportRecord,
    Teacher,
)
from monitoring.screening import screen
from portal.demo import builder as portal_demo

MODELS = (
    AssessmentResult,
    StaffEntry,
    Teacher,
    Diagnostic,
    SupportRecord,
    SchoolContext,
    ImprovementProgramme,
    Recommendation,
    ImportBatch,
)
SHNOR_2022 = {"250101", "250102", "250103", "250105", "250112", "250122", "250124", "250150"}


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
class MonitoringDemoTests(TestCase):
    """The demo is loaded once for the class (setUpTestData), as `load_demo` does it."""

    @classmethod
    def setUpTestData(cls):
        portal_demo.build()
        start = time.perf_counter()
        demo.build()
        cls.elapsed = time.perf_counter() - start

    def test_rerunnable_and_fast(self):
        first = counts()
        self.assertLess(self.elapsed, 20)
        self.assertGreater(first["AssessmentResult"], 3000)
        self.assertGreater(first["StaffEntry"], 5000)
        self.assertGreater(first["Diagnostic"], 1000)
        self.assertGreater(first["SupportRecord"], 1000)
        # A believable import log: the results by procedure and year, the staff lists, …
        names = set(ImportBatch.objects.values_list("filename", flat=True))
        self.assertLessEqual({"ВПР_2024.csv", "ЕГЭ_2024.csv", "Штатные_списки_2024.csv"}, names)
        demo.build()
        self.assertEqual(counts(), first)
        self.assertEqual(mail.outbox, [])

    def test_demo_teachers_are_linked_and_stable(self):
        petrova = Teacher.objects.get(user__email="teacher@demo.example.ru")
        self.assertEqual(petrova.full_name, "Петрова Анна Игоревна")
        years = set(
            petrova.staff_entries.filter(school__code="250103").values_list("year", flat=True)
        )
        self.assertEqual(years, {2020, 2021, 2022, 2023, 2024})
        # Her diagnostics repeat, so they show dynamics.
        self.assertGreaterEqual(petrova.diagnostics.filter(kind="предметная").count(), 3)
        self.assertTrue(Teacher.objects.filter(user__email="physics@demo.example.ru").exists())
        # Codes are stable: most of 2023's staff are on the 2024 lists under the same code.
        codes = {
            year: set(StaffEntry.objects.filter(year=year).values_list("teacher__code", flat=True))
            for year in (2023, 2024)
        }
        self.assertGreater(len(codes[2023] & codes[2024]), 0.85 * len(codes[2023]))

    def test_indicators_and_screening(self):
        indicators = compute_indicators([2022, 2023, 2024])
        for year, by_code in indicators.items():
            for code, indicator in by_code.items():
                # IND-1 and IND-8 count agreements, which the agreements app's demo adds:
                # without them they are 0, still defined (the target schools are there).
                self.assertIsNotNone(indicator.value, (year, code))
            self.assertIsNotNone(by_code["IND-3"].previous)
        # The ШНОР improve: the failing share of the target schools falls from 2022 to 2024.
        self.assertLess(indicators[2024]["IND-3"].value, indicators[2022]["IND-3"].value)
        screening = screen(2024)
        flagged = {row.school.code for row in screening.flagged}
        self.assertGreaterEqual(len(flagged & SHNOR_2022), 5)
        self.assertLessEqual(len(flagged - SHNOR_2022), 2)
        # Leaders are clearly better than the ШНОР.
        rows = {row.school.code: row for row in screening.rows}
        self.assertLess(rows["250401"].u_rm, 0.05)
        self.assertGreater(rows["250103"].u_rm, 0.15)
        self.assertGreater(rows["250401"].h_rm, 0.2)
        self.assertLess(rows["250103"].h_rm, 0.05)

    def test_programmes_and_recommendations(self):
        states = dict(
            ImprovementProgramme.objects.filter(school__code__in=SHNOR_2022).values_list(
                "school__code", "state"
            )
        )
        self.assertEqual(list(states.values()).count("approved"), 6)
        self.assertEqual({states["250122"], states["250124"]}, {"review", "draft"})
        self.assertTrue(3 <= Recommendation.objects.count() <= 5)
        self.assertTrue(
            Recommendation.objects.filter(school__isnull=True, addressee="department").exists()
        )
        self.assertTrue(
            Recommendation.objects.filter(school__isnull=False, addressee="school").exists()
        )
