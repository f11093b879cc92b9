"""Proposing a practice on the public site, moderation, «Мои практики», adoption."""

import io
import zipfile

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import WorkflowState

from portal.models import MembershipState
from practices.models import Adoption, PracticePage, Problem
from tests.factories import MethodologistFactory, SchoolFactory, TeacherFactory
from tests.factories.practices import PracticePageFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def proposal(**overrides):
    data = {
        "title": "Тренажёр устного счёта",
        "summary": "Пять минут устного счёта в начале урока.",
        "problems": [Problem.objects.get(slug="podgotovka-k-gia").pk],
        "format": "method",
        "tags": "ОГЭ, устный счёт",
        "context": "Ученики 9 классов плохо считают.\n\n<script>alert(1)</script>",
        "steps": "Подобрать задания\n- Засекать время\n\n",
        "resources": "",
        "results": "Доля «2» снизилась <img src=x onerror=alert(1)>",
    }
    data.update(overrides)
    return data


@pytest.fixture
def teacher(bank):
    MethodologistFactory()
    return TeacherFactory(school=SchoolFactory(code="250103"))


def test_proposal_creates_a_draft_in_moderation(client, teacher):
    client.force_login(teacher)
    upload = SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")
    response = client.post("/practices/propose/", {**proposal(), "files": [upload], "submit": "1"})
    assert response.status_code == 302 and response.url == "/cabinet/practices/"

    practice = PracticePage.objects.get(title="Тренажёр устного счёта")
    assert not practice.live
    assert practice.slug == "trenazher-ustnogo-scheta"
    state = WorkflowState.objects.get(object_id=str(practice.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    # Methodologists are told there is something to review.
    assert any(
        "Тренажёр устного счёта" in message.subject + message.body for message in mail.outbox
    )

    revision = practice.get_latest_revision_as_object()
    assert [tag.name for tag in revision.tags.all()] == ["ОГЭ", "устный счёт"]
    assert revision.attachments.count() == 1
    raw = str(revision.body.raw_data)
    assert "<script>" not in raw and "onerror=alert" not in raw.replace("onerror=alert(1)&gt;", "")
    assert "&lt;script&gt;" in raw

    page = client.get("/cabinet/practices/")
    assert "На проверке у методиста" in page.text


def test_preview_shows_the_practice_without_saving(client, teacher):
    client.force_login(teacher)
    response = client.post("/practices/propose/", {**proposal(), "preview": "1"})
    assert response.status_code == 200
    assert "Предпросмотр" in response.text and "Засекать время" in response.text
    assert not PracticePage.objects.filter(title="Тренажёр устного счёта").exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("plan.pdf", b"<html><script>alert(1)</script></html>"),
        ("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg"/>'),
        ("setup.docx", b"MZ\x90\x00\x03\x00\x00\x00"),
    ],
)
def test_uploads_are_checked_by_content(client, teacher, name, content):
    client.force_login(teacher)
    upload = SimpleUploadedFile(name, content)
    response = client.post("/practices/propose/", {**proposal(), "files": [upload], "submit": "1"})
    assert response.status_code == 200
    assert "не принят" in response.text
    assert not PracticePage.objects.exists()


def test_office_documents_are_accepted(client, teacher):
    client.force_login(teacher)
    upload = SimpleUploadedFile("plan.docx", docx_bytes())
    response = client.post("/practices/propose/", {**proposal(), "files": [upload], "submit": "1"})
    assert response.status_code == 302


def test_missing_fields_get_russian_messages(client, teacher):
    client.force_login(teacher)
    response = client.post("/practices/propose/", {"submit": "1"})
    assert response.status_code == 200
    assert "Отметьте хотя бы одну проблему." in response.text
    assert "Требуется заполнить это поле." in response.text
    assert not PracticePage.objects.exists()


def test_propose_needs_login(client, bank):
    response = client.get("/practices/propose/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_methodologist_approval_publishes(client, teacher):
    client.force_login(teacher)
    client.post("/practices/propose/", {**proposal(), "submit": "1"})
    practice = PracticePage.objects.get()
    methodologist = MethodologistFactory()
    state = practice.current_workflow_state
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, methodologist, "approve")
    practice.refresh_from_db()
    assert practice.live
    client.force_login(teacher)
    assert "Опубликована" in client.get("/cabinet/practices/").text


def test_rejection_comment_reaches_my_practices(client, teacher):
    client.force_login(teacher)
    client.post("/practices/propose/", {**proposal(), "submit": "1"})
    practice = PracticePage.objects.get()
    methodologist = MethodologistFactory()
    task_state = practice.current_workflow_state.current_task_state
    task_state.task.specific.on_action(
        task_state, methodologist, "reject", comment="Добавьте цифры результатов"
    )
    page = client.get("/cabinet/practices/")
    assert "Возвращена на доработку" in page.text
    assert "Добавьте цифры результатов" in page.text


@pytest.fixture
def published(bank):
    author_school = SchoolFactory(code="250401")
    return PracticePageFactory(parent=bank, school=author_school)


def test_teacher_records_adoption_and_counts_update(client, published):
    teacher = TeacherFactory(school=SchoolFactory(code="250112"))
    client.force_login(teacher)
    data = {"applied_on": "2026-02-10", "context": "7 «Б», математика", "outcome": "Стало лучше."}
    response = client.post(f"/practices/{published.pk}/apply/", data)
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.adoption_count == 1
    # A second record by the same school updates the first.
    client.post(f"/practices/{published.pk}/apply/", {**data, "outcome": "Ещё лучше."})
    assert Adoption.objects.get().outcome == "Ещё лучше."
    published.refresh_from_db()
    assert published.adoption_count == 1
    page = client.get(published.url)
    assert "Ещё лучше." in page.text
    school_page = client.get("/schools/250112/")
    assert published.title in school_page.text


def test_adoption_in_the_future_is_refused(client, published):
    teacher = TeacherFactory(school=SchoolFactory(code="250112"))
    client.force_login(teacher)
    response = client.post(
        f"/practices/{published.pk}/apply/",
        {"applied_on": "2999-01-01", "context": "5 класс", "outcome": "—"},
    )
    assert "не может быть в будущем" in response.text
    assert not Adoption.objects.exists()


def test_own_school_and_unconfirmed_teachers_cannot_adopt(client, published):
    own = TeacherFactory(school=published.school)
    client.force_login(own)
    data = {"applied_on": "2026-02-10", "context": "5 класс", "outcome": "—"}
    response = client.post(f"/practices/{published.pk}/apply/", data)
    assert "вашей школы" in response.text
    pending = TeacherFactory(
        school=SchoolFactory(code="250112"), membership=MembershipState.PENDING
    )
    client.force_login(pending)
    response = client.post(f"/practices/{published.pk}/apply/", data)
    assert response.status_code == 302
    assert not Adoption.objects.exists()


def test_author_gets_an_email_at_each_change_of_state(
    client, teacher, django_capture_on_commit_callbacks
):
    client.force_login(teacher)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/practices/propose/", {**proposal(), "submit": "1"})
    practice = PracticePage.objects.get()
    to_author = [m for m in mail.outbox if m.to == [teacher.email]]
    assert [m.subject for m in to_author] == [
        "Практика «Тренажёр устного счёта» отправлена на проверку"
    ]

    methodologist = MethodologistFactory()
    task_state = practice.current_workflow_state.current_task_state
    with django_capture_on_commit_callbacks(execute=True):
        task_state.task.specific.on_action(
            task_state, methodologist, "reject", comment="Добавьте цифры"
        )
    rejected = [m for m in mail.outbox if m.to == [teacher.email]][-1]
    assert rejected.subject == "Практика «Тренажёр устного счёта» возвращена на доработку"
    assert "Добавьте цифры" in rejected.body and "/cabinet/practices/" in rejected.body

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/cabinet/practices/{practice.pk}/edit/",
            {**proposal(results="Доля «2» снизилась с 18 до 7 %"), "submit": "1"},
        )
    practice.refresh_from_db()
    state = practice.current_workflow_state
    assert state.status == state.STATUS_IN_PROGRESS
    task_state = state.current_task_state
    with django_capture_on_commit_callbacks(execute=True):
        task_state.task.specific.on_action(task_state, methodologist, "approve")
    approved = [m for m in mail.outbox if m.to == [teacher.email]][-1]
    assert approved.subject == "Практика «Тренажёр устного счёта» опубликована в банке"
    practice.refresh_from_db()
    assert practice.live
    assert "с 18 до 7 %" in str(practice.body.raw_data)
    # Wagtail's own moderation e-mails, which link to the admin, do not reach the teacher.
    assert all("/admin/" not in m.body for m in mail.outbox if m.to == [teacher.email])


def test_edit_form_is_filled_from_the_practice(client, teacher):
    client.force_login(teacher)
    client.post("/practices/propose/", {**proposal(), "submit": "1"})
    practice = PracticePage.objects.get()
    page = client.get(f"/cabinet/practices/{practice.pk}/edit/")
    assert page.status_code == 200
    assert "Засекать время" in page.text and "Ученики 9 классов плохо считают." in page.text
    assert "ОГЭ, устный счёт" in page.text


def test_others_cannot_edit_a_practice(client, teacher):
    client.force_login(teacher)
    client.post("/practices/propose/", {**proposal(), "submit": "1"})
    practice = PracticePage.objects.get()
    client.force_login(TeacherFactory())
    assert client.get(f"/cabinet/practices/{practice.pk}/edit/").status_code == 403


def test_uploads_over_the_size_limit_are_refused(client, teacher):
    client.force_login(teacher)
    big = SimpleUploadedFile("plan.pdf", PDF + b"0" * (10 * 1024 * 1024))
    response = client.post("/practices/propose/", {**proposal(), "files": [big], "submit": "1"})
    assert response.status_code == 200
    assert "больше 10 МБ" in response.text
    assert not PracticePage.objects.exists()


def test_more_than_five_files_are_refused(client, teacher):
    client.force_login(teacher)
    files = [SimpleUploadedFile(f"plan{n}.pdf", PDF) for n in range(6)]
    response = client.post("/practices/propose/", {**proposal(), "files": files, "submit": "1"})
    assert "Не более 5 файлов." in response.text
    assert not PracticePage.objects.exists()
