"""Writes of the bank: proposing a practice, recording an adoption, keeping the denormalised
fields (adoption count, the authors' school status) true."""

import datetime

from anyascii import anyascii
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.models import Collection, GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask
from wagtail.users.models import UserProfile

from portal import roles
from portal.models import School, SchoolStatus, User

from .models import Adoption, PracticeAttachment, PracticeIndexPage, PracticePage

WORKFLOW_NAME = "Модерация практик"


def latest_status(school: School | None) -> str:
    """The school's most recent confirmed status, '' when it has none."""
    if school is None:
        return ""
    record = SchoolStatus.objects.confirmed().filter(school=school).order_by("-year").first()
    return record.status if record else ""


def refresh_school_status(school: School) -> int:
    """Re-copy the school's latest status onto its practices after the status changed."""
    from . import search_index

    practices = PracticePage.objects.filter(school=school)
    updated = practices.update(school_status=latest_status(school))
    if updated and search_index.enabled():
        ids = list(practices.values_list("pk", flat=True))
        transaction.on_commit(lambda: [search_index.sync(pk) for pk in ids])
    return updated


def ensure_moderation_workflow(index: PracticeIndexPage) -> Workflow:
    """The bank's workflow: one group approval by methodologists, assigned to the bank page."""
    from django.contrib.auth.models import Group

    workflow, _created = Workflow.objects.get_or_create(
        name=WORKFLOW_NAME, defaults={"active": True}
    )
    task = GroupApprovalTask.objects.filter(name="Проверка методистом").first()
    if task is None:
        task = GroupApprovalTask.objects.create(name="Проверка методистом")
        task.groups.set(Group.objects.filter(name__in=[roles.METHODOLOGIST]))
    # WorkflowTask hangs off a ParentalKey: create it directly, the cluster manager would
    # only keep it in memory.
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=index, defaults={"workflow": workflow})
    return workflow


@transaction.atomic
def adoption_record(
    *, practice: PracticePage, user: User, applied_on: datetime.date, context: str, outcome: str
) -> Adoption:
    """Record that the user's school applied the practice (one record per school; a second
    record by the same school updates the first)."""
    school = user.confirmed_school
    if school is None:
        raise PermissionDenied(
            _("Отметить применение может педагог с подтверждённым членством в школе.")
        )
    if practice.school_id == school.pk:
        raise ValidationError(_("Эта практика — вашей школы: отмечать её применение не нужно."))
    adoption = Adoption(
        practice=practice,
        school=school,
        user=user,
        applied_on=applied_on,
        context=context,
        outcome=outcome,
    )
    adoption.clean()
    existing = Adoption.objects.select_for_update().filter(practice=practice, school=school).first()
    if existing:
        adoption.pk = existing.pk
        adoption.created_at = existing.created_at
    adoption.save()
    recount_adoptions(practice.pk)
    return adoption


def recount_adoptions(practice_id: int) -> None:
    count = Adoption.objects.filter(practice_id=practice_id).count()
    PracticePage.objects.filter(pk=practice_id).update(adoption_count=count)


def _paragraphs(text: str) -> str:
    """Plain text → escaped <p> paragraphs: the only HTML a public form produces."""
    blocks = [part.strip() for part in text.replace("\r\n", "\n").split("\n\n")]
    return "".join(f"<p>{escape(part).replace(chr(10), '<br/>')}</p>" for part in blocks if part)


def proposal_body(data: dict) -> list[dict]:
    body = [{"type": "section", "value": {"kind": "context", "text": _paragraphs(data["context"])}}]
    body.append(
        {
            "type": "steps",
            "value": {
                "title": _("Как это сделать"),
                "steps": [{"title": step[:200], "text": ""} for step in data["steps"]],
            },
        }
    )
    if data.get("resources"):
        body.append(
            {
                "type": "section",
                "value": {"kind": "resources", "text": _paragraphs(data["resources"])},
            }
        )
    if data.get("results"):
        body.append(
            {"type": "results", "value": {"text": _paragraphs(data["results"]), "figures": []}}
        )
    return body


def _materials_collection() -> Collection:
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name="Материалы практик").first()
    return existing or root.add_child(name="Материалы практик")


def unique_slug(parent, title: str) -> str:
    """A transliterated slug free among the parent's children («metodika-drobi», «…-2»)."""
    base = slugify(anyascii(title))[:70].strip("-") or "praktika"
    taken = set(parent.get_children().filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def practice_submit(*, user: User, data: dict, files=()) -> PracticePage:
    """Create the practice as a draft under the bank and submit it to moderation."""
    index = PracticeIndexPage.objects.first()
    if index is None:
        raise ValidationError(_("Банк практик ещё не создан."))
    practice = PracticePage(
        title=data["title"],
        slug=unique_slug(index, data["title"]),
        summary=data["summary"],
        format=data["format"],
        coauthors=data.get("coauthors", ""),
        school=user.confirmed_school or user.school,
        body=proposal_body(data),
        live=False,
        owner=user,
    )
    practice.problems = list(data["problems"])
    practice.subjects = list(data.get("subjects") or [])
    practice.grade_levels = list(data.get("grade_levels") or [])
    practice.authors = [user]
    practice.tags.set(data.get("tags") or [])
    index.add_child(instance=practice)
    _attach(practice, user, files)
    _submit_for_moderation(practice, user)
    return practice


def _attach(practice: PracticePage, user: User, files) -> None:
    if not files:
        return
    Document = get_document_model()
    collection = _materials_collection()
    start = len(practice.attachments.all())
    for order, upload in enumerate(files, start=start):
        document = Document(title=upload.name[:255], collection=collection, uploaded_by_user=user)
        document.file.save(upload.name, upload, save=False)
        document.save()
        practice.attachments.add(PracticeAttachment(document=document, sort_order=order))


def _submit_for_moderation(practice: PracticePage, user: User) -> None:
    """Save a revision and put it in front of the methodologist: start the bank's workflow,
    or resume it when the practice came back for changes."""
    from .notifications import notify_author

    _mute_admin_notifications(user)
    revision = practice.save_revision(user=user, log_action=True)
    state = practice.current_workflow_state
    if state is not None and state.status == state.STATUS_NEEDS_CHANGES:
        state.resume(user)
    elif state is None:
        workflow = practice.get_workflow()
        if workflow is None:
            revision.publish(user=user)
            return
        workflow.start(practice, user)
    notify_author(practice, "submitted", user)


def _mute_admin_notifications(user: User) -> None:
    # Authors without admin access get the bank's own e-mails (practices/notifications.py);
    # Wagtail's would link them to an admin they cannot open.
    if user.has_perm("wagtailadmin.access_admin"):
        return
    profile = UserProfile.get_for_user(user)
    if profile.approved_notifications or profile.rejected_notifications:
        profile.approved_notifications = profile.rejected_notifications = False
        profile.save(update_fields=["approved_notifications", "rejected_notifications"])


def can_edit(practice: PracticePage, user: User) -> bool:
    return user.is_authenticated and (
        practice.owner_id == user.pk or practice.authors.filter(pk=user.pk).exists()
    )


@transaction.atomic
def practice_resubmit(*, practice: PracticePage, user: User, data: dict, files=()) -> PracticePage:
    """Apply the author's edits as a new revision and send it to moderation again. A
    published practice stays as it is on the site until the new version is approved."""
    if not can_edit(practice, user):
        raise PermissionDenied
    draft = practice.get_latest_revision_as_object()
    draft.title = data["title"]
    draft.summary = data["summary"]
    draft.format = data["format"]
    draft.coauthors = data.get("coauthors", "")
    draft.body = proposal_body(data)
    draft.problems = list(data["problems"])
    draft.subjects = list(data.get("subjects") or [])
    draft.grade_levels = list(data.get("grade_levels") or [])
    draft.tags.set(data.get("tags") or [])
    _attach(draft, user, files)
    _submit_for_moderation(draft, user)
    return draft
