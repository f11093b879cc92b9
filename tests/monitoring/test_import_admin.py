"""The monitoring import screens in the Wagtail admin: who may use them, the dry run and the
commit without a second upload, file errors next to the field, the import log and rollback."""

import io
import os
from unittest import mock

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse
from wagtail.admin.menu import admin_menu
from wagtail.models import ModelLogEntry

from monitoring.admin_imports import staging
from monitoring.admin_imports.forms import ImportUploadForm
from monitoring.importing import get_kind, run_import
from monitoring.models import AssessmentResult, ImportBatch
from portal import roles
from tests.factories import (
    MethodologistFactory,
    SchoolFactory,
    SchoolHeadFactory,
    TeacherFactory,
    UserFactory,
)
from tests.monitoring.test_imports import csv_bytes

pytestmark = pytest.mark.django_db

UPLOAD_URL = reverse("monitoring_imports:upload")
LOG_URL = reverse("monitoring_imports:log")
HEADER = [
    "Код ОО",
    "Год",
    "Процедура",
    "Предмет",
    "Класс",
    "Участников",
    "Неудовлетворительно",
    "Высокий результат",
]
GOOD = [HEADER, ["250101", "2024", "ЕГЭ", "Математика", "11", "20", "3", "2"]]
BAD = [
    HEADER,
    ["250101", "2024", "ЕГЭ", "Математика", "11", "20", "3", "2"],
    ["999999", "2024", "ЕГЭ", "Математика", "11", "20", "30", "2"],
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def school(db):
    return SchoolFactory(code="250101")


@pytest.fixture
def methodologist(db):
    return MethodologistFactory()


@pytest.fixture
def client_m(client, methodologist, home_page):
    client.force_login(methodologist)
    return client


def upload(client, rows, name="results.csv", kind="results", **kwargs):
    data = rows if isinstance(rows, bytes) else csv_bytes(rows, **kwargs)
    return client.post(UPLOAD_URL, {"kind": kind, "file": SimpleUploadedFile(name, data)})


def commit(client, response):
    form = response.context["commit_form"]
    assert form is not None, "no commit button on the preview"
    return client.post(UPLOAD_URL, {"kind": form.initial["kind"], "token": form.initial["token"]})


def field_errors(response, name="file"):
    return list(response.context["form"].errors.get(name, []))


# --- who may use the screens ----------------------------------------------------------------------


def admin_urls(batch):
    return [
        UPLOAD_URL,
        LOG_URL,
        reverse("monitoring_imports:template", kwargs={"kind": "results", "extension": "csv"}),
        reverse("monitoring_imports:rollback", kwargs={"pk": batch.pk}),
    ]


@pytest.fixture
def batch(school):
    return run_import(get_kind("results"), csv_bytes(GOOD), "results.csv").batch


def test_anonymous_is_sent_to_login(client, batch):
    for url in admin_urls(batch):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("factory", [TeacherFactory, SchoolHeadFactory])
def test_teachers_and_heads_are_kept_out(client, home_page, batch, factory):
    # Teachers and heads have no admin access at all: Wagtail's gate sends them to the login
    # page with «no permission» before any admin view runs (as for every admin screen).
    client.force_login(factory())
    for url in admin_urls(batch):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert client.post(UPLOAD_URL, {"kind": "results"}).status_code == 302
    assert client.post(admin_urls(batch)[3]).status_code == 302
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.APPLIED


def test_admin_user_without_the_role_gets_403(client, home_page, batch):
    editors = Group.objects.create(name="Редакторы")
    editors.permissions.add(Permission.objects.get(codename="access_admin"))
    editor = UserFactory()
    editor.groups.add(editors)
    client.force_login(editor)
    for url in admin_urls(batch):
        response = client.get(url)
        assert response.status_code == 403
        assert "только методисты и администраторы" in response.content.decode()
    assert client.post(admin_urls(batch)[3]).status_code == 403
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.APPLIED


@pytest.mark.parametrize(
    "make_user",
    [
        MethodologistFactory,
        lambda: UserFactory(role=roles.ADMINISTRATOR),
        lambda: UserFactory(is_superuser=True),
    ],
    ids=["methodologist", "administrator", "superuser"],
)
def test_methodologists_and_administrators_get_the_screens(client, home_page, batch, make_user):
    client.force_login(make_user())
    for url in admin_urls(batch):
        assert client.get(url).status_code == 200


def menu_labels(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    labels = {}
    for item in admin_menu.menu_items_for_request(request):
        if item.name == "monitoring":
            labels[item.label] = [sub.label for sub in item.menu.menu_items_for_request(request)]
    return labels


def test_menu_for_methodologist_only(methodologist):
    assert menu_labels(methodologist) == {
        "Мониторинг": ["Загрузка данных", "Журнал импорта", "Цели показателей"]
    }
    editors = Group.objects.create(name="Редакторы")
    editors.permissions.add(Permission.objects.get(codename="access_admin"))
    editor = UserFactory()
    editor.groups.add(editors)
    assert menu_labels(editor) == {}


# --- upload: dry run and commit ------------------------------------------------------------------


def test_upload_page_lists_kinds_with_columns_and_templates(client_m):
    page = client_m.get(UPLOAD_URL).content.decode()
    for title in ("Реестр ОО", "Результаты оценочных процедур", "Штатные списки педагогов"):
        assert title in page
    assert "Неудовлетворительно" in page and "ЕГЭ, ОГЭ, ГВЭ, ВПР" in page
    assert 'enctype="multipart/form-data"' in page
    assert "/admin/monitoring/import/template/support.xlsx" in page


def test_dry_run_shows_reasons_and_saves_nothing(client_m, school):
    response = upload(client_m, BAD)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Этот файл загрузить нельзя: ничего не сохранено." in page
    assert [(row.number, row.errors) for row in response.context["preview"]["rejected"]] == [
        (
            3,
            [
                "неизвестный код ОО «999999»",
                "«Неудовлетворительно» (30) больше числа участников (20)",
            ],
        )
    ]
    assert "неизвестный код ОО «999999»" in page
    assert response.context["commit_form"] is None
    assert not AssessmentResult.objects.exists()
    assert not ImportBatch.objects.exists()


def test_good_file_preview_then_commit_without_second_upload(client_m, school, methodologist):
    response = upload(client_m, GOOD)
    preview = response.context["preview"]
    assert (preview["rows"], preview["added"], preview["updated"]) == (1, 1, 0)
    assert preview["sample"][0]["values"][:4] == ["250101", "2024", "ЕГЭ", "Математика"]
    assert "Загрузить" in response.content.decode()
    assert not AssessmentResult.objects.exists()

    response = commit(client_m, response)
    assert response.status_code == 302
    assert response["Location"] == f"{LOG_URL}?kind=results"
    assert AssessmentResult.objects.get().participants == 20
    batch = ImportBatch.objects.get()
    assert (batch.user, batch.filename, batch.added) == (methodologist, "results.csv", 1)
    assert ModelLogEntry.objects.filter(action="monitoring.import_applied").count() == 1
    log_page = client_m.get(response["Location"]).content.decode()
    assert "results.csv" in log_page and "Отменить импорт" in log_page
    # The staged copy is gone once committed.
    assert not list((staging._folder(methodologist)).iterdir())


def test_commit_needs_the_users_own_staged_file(client, client_m, school, home_page):
    response = upload(client_m, GOOD)
    token = response.context["commit_form"].initial["token"]
    client.force_login(MethodologistFactory())
    other = client.post(UPLOAD_URL, {"kind": "results", "token": token})
    assert "Проверенный файл не найден или устарел" in other.content.decode()
    forged = client.post(UPLOAD_URL, {"kind": "results", "token": "../" * 10 + "x"})
    assert "Проверенный файл не найден или устарел" in forged.content.decode()
    wrong_kind = client_m.post(UPLOAD_URL, {"kind": "staff", "token": token})
    assert "Проверенный файл не найден или устарел" in wrong_kind.content.decode()
    assert not AssessmentResult.objects.exists()


def test_expired_staged_file_is_not_committed(client_m, school):
    response = upload(client_m, GOOD)
    with mock.patch.object(staging, "LIFETIME_SECONDS", -1):
        late = commit(client_m, response)
    assert "Проверенный файл не найден или устарел" in late.content.decode()
    assert not AssessmentResult.objects.exists()


def test_file_already_imported_message_next_to_the_field(client_m, school):
    commit(client_m, upload(client_m, GOOD))
    response = upload(client_m, GOOD)
    assert "Этот файл уже импортирован" in " ".join(field_errors(response))
    assert response.context.get("preview") is None
    assert ImportBatch.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"\x00\x01binary", "results.csv", "двоичные данные"),
        (b"PK\x03\x04broken", "results.xlsx", "Не удалось прочитать файл XLSX"),
        (b"", "results.csv", "пуст"),
        (b"\r\n250101;2024\r\n", "results.csv", "нет заголовков"),
        (b"year;school\r\n2024;250101\r\n", "results.csv", "нет обязательных столбцов"),
        (b"whatever", "results.xls", "только файлы CSV и XLSX"),
        (b"whatever", "results.pdf", "только файлы CSV и XLSX"),
    ],
    ids=["binary", "broken-xlsx", "empty", "no-header", "no-columns", "xls", "pdf"],
)
def test_unreadable_file_message_next_to_the_field(client_m, school, data, name, message):
    response = upload(client_m, data, name=name)
    assert response.status_code == 200
    assert message in " ".join(field_errors(response))
    assert message in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_cp1251_file_is_read(client_m, school):
    response = upload(client_m, GOOD, encoding="cp1251")
    assert response.context["preview"]["added"] == 1


def test_huge_file_is_refused_before_reading():
    huge = SimpleUploadedFile("results.csv", b"")
    huge.size = 100 * 1024 * 1024
    # Reading the content would fail the test: the size alone decides.
    huge.file = mock.Mock(spec=["read", "seek", "close"])
    form = ImportUploadForm(data={"kind": "results"}, files={"file": huge})
    assert not form.is_valid()
    huge.file.read.assert_not_called()
    assert form.errors["file"] == [
        "Файл слишком большой: 100 МБ, а можно не более 20 МБ. Разделите его на несколько файлов."
    ]


def test_huge_upload_through_the_page_gets_a_message(client_m, school):
    with mock.patch("monitoring.importing.reader.MAX_FILE_SIZE", 1024):
        response = upload(client_m, GOOD + [GOOD[1]] * 40)
    assert response.status_code == 200
    assert "Файл слишком большой" in " ".join(field_errors(response))
    assert not ImportBatch.objects.exists()


def test_xlsx_upload_and_uncalculated_formula(client_m, school):
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADER)
    workbook.active.append(["250101", 2024, "ЕГЭ", "Математика", 11, "=10+10", 3, 2])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(client_m, buffer.getvalue(), name="results.xlsx")
    assert "в ячейке F2 формула без вычисленного значения" in response.content.decode()
    assert response.context["commit_form"] is None


def test_templates_have_the_russian_header(client_m):
    csv_response = client_m.get(
        reverse("monitoring_imports:template", kwargs={"kind": "staff", "extension": "csv"})
    )
    assert csv_response["Content-Disposition"] == 'attachment; filename="staff.csv"'
    assert csv_response.content.decode("utf-8-sig").strip() == (
        "Код ОО;Год;Код педагога;ФИО;Должность;Предметы"
    )
    xlsx_response = client_m.get(
        reverse("monitoring_imports:template", kwargs={"kind": "results", "extension": "xlsx"})
    )
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_response.content)).active
    assert [cell.value for cell in sheet[1]] == HEADER
    # A template is accepted by the import as it is (a header and no rows).
    result = run_import(get_kind("results"), xlsx_response.content, "results.xlsx", dry_run=True)
    assert result.ok and result.rows == []


# --- the log and rollback ------------------------------------------------------------------------


def test_rollback_through_the_ui_restores_the_previous_state(client_m, school):
    commit(client_m, upload(client_m, GOOD))
    changed = [HEADER, ["250101", "2024", "ЕГЭ", "математика", "11", "40", "10", "1"]]
    changed.append(["250101", "2024", "ОГЭ", "Русский язык", "9", "30", "0", "5"])
    commit(client_m, upload(client_m, changed))
    assert AssessmentResult.objects.count() == 2
    latest = ImportBatch.objects.order_by("-pk").first()

    url = reverse("monitoring_imports:rollback", kwargs={"pk": latest.pk})
    confirm = client_m.get(url).content.decode()
    assert "Да, отменить импорт" in confirm
    response = client_m.post(url)
    assert response.status_code == 302
    result = AssessmentResult.objects.get()
    assert (result.participants, result.failed, result.high) == (20, 3, 2)
    latest.refresh_from_db()
    assert latest.state == ImportBatch.State.ROLLED_BACK
    assert ModelLogEntry.objects.filter(action="monitoring.import_rolled_back").count() == 1
    page = client_m.get(response["Location"]).content.decode()
    assert "отменён" in page


def test_rollback_of_a_non_latest_import_shows_the_reason(client_m, school):
    commit(client_m, upload(client_m, GOOD))
    commit(client_m, upload(client_m, [HEADER, GOOD[1][:5] + ["25", "3", "2"]]))
    first, second = ImportBatch.objects.order_by("pk")
    log = client_m.get(LOG_URL)
    rollbackable = {e["batch"].pk for e in log.context["entries"] if e["can_rollback"]}
    assert rollbackable == {second.pk}
    response = client_m.post(reverse("monitoring_imports:rollback", kwargs={"pk": first.pk}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Импорт не отменён." in page and "отменить можно только последний" in page
    assert AssessmentResult.objects.get().participants == 25
    first.refresh_from_db()
    assert first.state == ImportBatch.State.APPLIED


def test_log_filters_by_kind_and_paginates(client_m, school):
    for number in range(30):
        ImportBatch.objects.create(kind="results", filename=f"r{number}.csv", sha256="a" * 64)
    ImportBatch.objects.create(kind="staff", filename="staff.csv", sha256="b" * 64)
    first_page = client_m.get(LOG_URL)
    names = [entry["batch"].filename for entry in first_page.context["entries"]]
    assert names[0] == "staff.csv" and len(names) == 25
    second_page = client_m.get(LOG_URL, {"p": 2})
    assert len(second_page.context["entries"]) == 6
    only_staff = client_m.get(LOG_URL, {"kind": "staff"})
    assert [entry["batch"].filename for entry in only_staff.context["entries"]] == ["staff.csv"]
    assert "Штатные списки педагогов" in only_staff.content.decode()


def test_log_query_count_does_not_grow_with_the_data(
    client_m, school, django_assert_max_num_queries
):
    def fill(count):
        for number in range(count):
            ImportBatch.objects.create(
                kind=["results", "staff", "schools"][number % 3],
                filename=f"f{number}.csv",
                sha256=f"{number:064x}",
                user=UserFactory(),
                rolled_back_by=UserFactory() if number % 2 else None,
                state=ImportBatch.State.ROLLED_BACK if number % 2 else ImportBatch.State.APPLIED,
            )

    fill(3)
    client_m.get(LOG_URL)  # warm Wagtail's per-process caches
    with django_assert_max_num_queries(16) as small:
        client_m.get(LOG_URL)
    fill(40)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client_m.get(LOG_URL)
    assert len(response.context["entries"]) == 25


def test_100_mb_request_is_refused_without_reading_the_body(client_m, school):
    # The request announces 100 MB; the view answers from the announced length alone, so
    # the (small) body is never parsed and nothing is staged or imported.
    response = client_m.post(
        UPLOAD_URL,
        {"kind": "results", "file": SimpleUploadedFile("big.csv", csv_bytes(GOOD))},
        CONTENT_LENGTH=str(100 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert field_errors(response) == [
        "Файл слишком большой: 100 МБ, а можно не более 20 МБ. Разделите его на несколько файлов."
    ]
    assert "Файл слишком большой" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_upload_and_commit_check_csrf(home_page, methodologist, school):

    client = Client(enforce_csrf_checks=True)
    client.force_login(methodologist)
    response = client.post(
        UPLOAD_URL, {"kind": "results", "file": SimpleUploadedFile("r.csv", csv_bytes(GOOD))}
    )
    assert response.status_code == 403
    assert not staging._folder(methodologist).exists()
    token = client.get(UPLOAD_URL).cookies["csrftoken"].value
    response = client.post(
        UPLOAD_URL,
        {
            "kind": "results",
            "file": SimpleUploadedFile("r.csv", csv_bytes(GOOD)),
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 200
    assert response.context["preview"]["added"] == 1


def test_abandoned_staged_files_of_any_user_are_swept(methodologist):
    other = MethodologistFactory()
    old_token = staging.stage(other, "results", "old.csv", b"old")
    for path in staging._folder(other).iterdir():
        os.utime(path, (0, 0))
    fresh = staging.stage(methodologist, "results", "new.csv", b"new")
    assert not list(staging._folder(other).iterdir())
    assert staging.load(other, old_token, "results") is None
    assert staging.load(methodologist, fresh, "results").data == b"new"
