import datetime

import pytest

from monitoring.indicators import compute_year
from monitoring.models import SupportForm, SupportRecord, Teacher
from monitoring.services import support_record_remove, support_record_set
from portal.models import Status
from tests.factories import SchoolFactory, SchoolStatusFactory, TeacherFactory

pytestmark = pytest.mark.django_db


def test_attendance_counts_as_support_for_a_linked_teacher():
    from monitoring.models import StaffEntry

    school = SchoolFactory()
    SchoolStatusFactory(school=school, year=2024, status=Status.SHNOR)
    user = TeacherFactory(school=school)
    teacher = Teacher.objects.create(code="T-1", full_name="Иванова А. П.", user=user)
    StaffEntry.objects.create(school=school, year=2024, teacher=teacher)
    assert compute_year(2024)["IND-2"].value == 0.0

    kwargs = {
        "user": user,
        "date": datetime.date(2024, 3, 1),
        "form": SupportForm.SEMINAR,
        "title": "Семинар МО",
        "provider": "МО учителей математики",
        "source": SupportRecord.Source.EVENT,
        "source_ref": "event:1:user:1",
    }
    support_record_set(**kwargs)
    support_record_set(**kwargs)  # idempotent by its ref
    assert SupportRecord.objects.count() == 1
    assert compute_year(2024)["IND-2"].value == 1.0
    support_record_remove(source_ref="event:1:user:1")
    assert compute_year(2024)["IND-2"].value == 0.0


def test_unlinked_user_records_nothing():
    user = TeacherFactory()
    record = support_record_set(
        user=user,
        date=datetime.date(2024, 3, 1),
        form=SupportForm.SEMINAR,
        title="Семинар",
        provider="МО",
        source=SupportRecord.Source.EVENT,
        source_ref="event:2:user:1",
    )
    assert record is None and not SupportRecord.objects.exists()
