"""Two heads signing at the same moment: both signatures land (the row is locked)."""

import threading

import pytest
from django.db import connection, connections

from agreements.models import Agreement
from agreements.services import agreement_sign, agreement_submit, version_pdf

pytestmark = [
    pytest.mark.django_db(transaction=True),
]


def test_simultaneous_signatures_are_both_kept(make_agreement, leader_head, target_head):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    agreement = make_agreement()
    agreement_submit(agreement=agreement, user=leader_head)
    version_pdf(agreement)
    barrier = threading.Barrier(2)
    errors = []

    def sign(user):
        try:
            barrier.wait()
            agreement_sign(agreement=Agreement.objects.get(pk=agreement.pk), user=user)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign, args=(user,)) for user in (leader_head, target_head)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    agreement.refresh_from_db()
    assert agreement.signatures.filter(voided_at__isnull=True).count() == 2
    assert agreement.state == Agreement.State.ACTIVE
