"""Keep the denormalised fields of practices in step with their sources."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from portal.models import SchoolStatus, Subject

from . import facet_index, search_index, services
from .models import Adoption, GradeLevel, PracticeIndexPage, PracticePage, Problem


@receiver(post_save, sender=PracticePage)
@receiver(post_delete, sender=PracticePage)
@receiver(post_save, sender=Adoption)
@receiver(post_delete, sender=Adoption)
@receiver(post_save, sender=Problem)
@receiver(post_delete, sender=Problem)
@receiver(post_save, sender=GradeLevel)
@receiver(post_delete, sender=GradeLevel)
@receiver(post_save, sender=Subject)
@receiver(post_delete, sender=Subject)
@receiver(post_save, sender=SchoolStatus)
@receiver(post_delete, sender=SchoolStatus)
@receiver(page_unpublished, sender=PracticePage)
def bank_changed(sender, raw: bool = False, **kwargs):
    # Every process rebuilds its facet index on its next request.
    if not raw:
        facet_index.bump()


@receiver(pre_save, sender=PracticePage)
def copy_school_status(sender, instance: PracticePage, **kwargs):
    instance.school_status = services.latest_status(instance.school)


@receiver(post_save, sender=SchoolStatus)
@receiver(post_delete, sender=SchoolStatus)
def school_status_changed(sender, instance: SchoolStatus, **kwargs):
    services.refresh_school_status(instance.school)


@receiver(post_delete, sender=Adoption)
def adoption_deleted(sender, instance: Adoption, **kwargs):
    services.recount_adoptions(instance.practice_id)
    _sync_later(instance.practice_id)


@receiver(post_save, sender=Adoption)
def adoption_saved(sender, instance: Adoption, **kwargs):
    _sync_later(instance.practice_id)


@receiver(page_published, sender=PracticePage)
@receiver(page_unpublished, sender=PracticePage)
@receiver(post_delete, sender=PracticePage)
def practice_changed(sender, instance: PracticePage, **kwargs):
    _sync_later(instance.pk)


def _sync_later(practice_id: int) -> None:
    # After commit: the index must see what the database will keep, and a rolled-back
    # change must not reach it.
    if search_index.enabled():
        transaction.on_commit(lambda: search_index.sync(practice_id))


@receiver(post_save, sender=PracticeIndexPage)
def bank_created(sender, instance: PracticeIndexPage, created: bool, raw: bool = False, **kwargs):
    if created and not raw:
        services.ensure_moderation_workflow(instance)
