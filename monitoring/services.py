"""Writes other apps make into the monitoring facts.

Communities record a teacher's attendance of a community event as a support record (IND-2)
through `support_record_set`, and take it back with `support_record_remove` when the
attendance mark is removed. A portal user counts as a teacher of the staff lists only when
linked to one (`Teacher.user`); for an unlinked user nothing is recorded.
"""

import datetime

from django.db import transaction

from .models import SupportForm, SupportRecord, Teacher


def teacher_of(user) -> Teacher | None:
    if user is None or not user.is_authenticated:
        return None
    return Teacher.objects.filter(user=user).first()


@transaction.atomic
def support_record_set(
    *,
    user,
    date: datetime.date,
    form: str,
    title: str,
    provider: str,
    source: str,
    source_ref: str,
) -> SupportRecord | None:
    """Record (or update) support identified by `source_ref`, e.g. "event:12:user:5"."""
    if form not in SupportForm.values:
        raise ValueError(f"unknown support form {form!r}")
    if source == SupportRecord.Source.IMPORT or not source_ref:
        raise ValueError("portal-recorded support needs a source other than import and a ref")
    teacher = teacher_of(user)
    if teacher is None:
        return None
    record, _created = SupportRecord.objects.update_or_create(
        source_ref=source_ref,
        defaults={
            "teacher": teacher,
            "date": date,
            "form": form,
            "title": title[:500],
            "provider": provider[:300],
            "source": source,
        },
    )
    return record


def support_record_remove(*, source_ref: str) -> None:
    SupportRecord.objects.filter(source_ref=source_ref).exclude(
        source=SupportRecord.Source.IMPORT
    ).delete()
