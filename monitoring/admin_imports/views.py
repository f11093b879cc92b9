"""Upload (dry run, then commit), the import log and rollback, in the Wagtail admin.

Only methodologists and administrators import data (domain.md, «People»). Wagtail's own gate
keeps users without admin access (teachers, heads) out of every admin URL; these views
answer 403 to anyone else inside the admin who lacks the role.
"""

import ast

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log

from monitoring.importing import (
    KINDS,
    FileFormatError,
    get_kind,
    read_table,
    reader,
    run_import,
)
from monitoring.importing.base import rollback_import
from monitoring.models import ImportBatch
from portal.roles import is_methodologist

from . import staging
from .file_templates import template_csv, template_xlsx
from .forms import (
    ImportCommitForm,
    ImportLogFilterForm,
    ImportUploadForm,
    describe_kinds,
    megabytes,
)

# How much of a file the preview shows: every reason of the first rejected rows, and a
# sample of the rows to be written.
MAX_REJECTED_SHOWN = 500
SAMPLE_SIZE = 10
LOG_PAGE_SIZE = 25
# Room for the multipart envelope and the other fields around the file itself.
MULTIPART_SLACK = 64 * 1024

ACTION_IMPORTED = "monitoring.import_applied"
ACTION_ROLLED_BACK = "monitoring.import_rolled_back"


class MethodologistRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        if not is_methodologist(request.user):
            return TemplateResponse(
                request,
                "monitoring/admin_imports/forbidden.html",
                {"header_title": _("Нет доступа")},
                status=403,
            )
        return super().dispatch(request, *args, **kwargs)


class MonitoringAdminView(MethodologistRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    header_icon = "table"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": "", "label": _("Мониторинг")},
            {"url": "", "label": self.get_page_title()},
        ]


def _kind_title(code: str) -> str:
    kind = KINDS.get(code)
    return str(kind.title) if kind else code


def _readable_key(key: str) -> str:
    """A row's key as the user reads it: «250101 · 2024 · ЕГЭ · математика · 11»."""
    try:
        value = ast.literal_eval(key)
    except (ValueError, SyntaxError):
        return key
    if isinstance(value, tuple):
        return " · ".join(str(part) for part in value)
    return str(value)


def _sample_rows(kind, data: bytes, filename: str, outcomes, limit: int) -> list[dict]:
    """The first rows to be added or updated, with the values the file gives them."""
    chosen = [row for row in outcomes if row.action in ("add", "update")][:limit]
    if not chosen:
        return []
    table = read_table(data, filename)
    mapping = kind.map_header(table.header)
    cells_by_number = dict(table.rows)
    sample = []
    for outcome in chosen:
        cells = cells_by_number.get(outcome.number, [])
        sample.append(
            {
                "number": outcome.number,
                "action": outcome.action,
                "key": _readable_key(outcome.key),
                "values": [
                    cells[mapping[column.code]]
                    if column.code in mapping and mapping[column.code] < len(cells)
                    else ""
                    for column in kind.columns
                ],
            }
        )
    return sample


def _form_with_file_error(message: str, kind: str = "") -> ImportUploadForm:
    form = ImportUploadForm(data={"kind": kind}, files={})
    form.is_valid()
    if not kind:
        form.errors.pop("kind", None)
    form.errors["file"] = form.error_class([message])
    return form


# CSRF is checked by hand in post(): the middleware would parse the whole request body, and
# a request far over the size limit is refused before a byte of it is read.
@method_decorator(csrf_exempt, name="dispatch")
class ImportUploadView(MonitoringAdminView):
    page_title = gettext_lazy("Загрузка данных")
    template_name = "monitoring/admin_imports/upload.html"

    def get(self, request, *args, **kwargs):
        initial = {"kind": request.GET.get("kind")} if request.GET.get("kind") in KINDS else {}
        return self.render_to_response(
            self.get_context_data(form=ImportUploadForm(initial=initial))
        )

    def post(self, request, *args, **kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = reader.MAX_FILE_SIZE
        if length > limit + MULTIPART_SLACK:
            # Refusing without touching request.POST: nothing of the body is parsed or stored.
            form = _form_with_file_error(
                _(
                    "Файл слишком большой: %(size)s МБ, а можно не более %(limit)s МБ. "
                    "Разделите его на несколько файлов."
                )
                % {"size": megabytes(length), "limit": megabytes(limit)}
            )
            return self.render_to_response(self.get_context_data(form=form), status=413)
        return csrf_protect(self.checked_post)(request)

    def checked_post(self, request):
        if "token" in request.POST:
            return self.commit(request)
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        upload = form.cleaned_data["file"]
        kind_code = form.cleaned_data["kind"]
        data = upload.read()
        try:
            result = run_import(get_kind(kind_code), data, upload.name, dry_run=True)
        except FileFormatError as error:
            form.add_error("file", str(error))
            return self.render_to_response(self.get_context_data(form=form))
        token = staging.stage(request.user, kind_code, upload.name, data) if result.ok else ""
        return self.render_preview(form, kind_code, upload.name, data, result, token)

    def commit(self, request):
        commit = ImportCommitForm(request.POST)
        staged = None
        if commit.is_valid():
            staged = staging.load(
                request.user, commit.cleaned_data["token"], commit.cleaned_data["kind"]
            )
        if staged is None:
            form = ImportUploadForm(initial={"kind": request.POST.get("kind")})
            messages.error(
                request,
                _("Проверенный файл не найден или устарел. Загрузите его ещё раз."),
            )
            return self.render_to_response(self.get_context_data(form=form))
        form = ImportUploadForm(initial={"kind": staged.kind})
        try:
            result = run_import(
                get_kind(staged.kind), staged.data, staged.filename, user=request.user
            )
        except FileFormatError as error:
            # A duplicate: the same file was committed meanwhile (another tab, a colleague).
            staging.discard(request.user, staged.sha256)
            form = _form_with_file_error(str(error), staged.kind)
            return self.render_to_response(self.get_context_data(form=form))
        if not result.applied:
            # The database changed since the dry run (e.g. a school was removed).
            staging.discard(request.user, staged.sha256)
            return self.render_preview(
                form, staged.kind, staged.filename, staged.data, result, token=""
            )
        staging.discard(request.user, staged.sha256)
        batch = result.batch
        log(
            instance=batch,
            action=ACTION_IMPORTED,
            user=request.user,
            data={"kind": batch.kind, "filename": batch.filename, "rows": batch.rows},
        )
        messages.success(
            request,
            _(
                "Файл «%(name)s» загружен (журнал импорта № %(number)s): "
                "добавлено %(added)s, обновлено %(updated)s."
            )
            % {
                "name": batch.filename,
                "number": batch.pk,
                "added": batch.added,
                "updated": batch.updated,
            },
        )
        return redirect(reverse("monitoring_imports:log") + f"?kind={batch.kind}")

    def render_preview(self, form, kind_code, filename, data, result, token):
        kind = get_kind(kind_code)
        rejected = result.rejected
        context = self.get_context_data(
            form=form,
            result=result,
            preview={
                "kind": kind,
                "filename": filename,
                "rows": len(result.rows),
                "added": result.count("add"),
                "updated": result.count("update"),
                "rejected": rejected[:MAX_REJECTED_SHOWN],
                "rejected_count": len(rejected),
                "rejected_hidden": max(0, len(rejected) - MAX_REJECTED_SHOWN),
                "columns": kind.columns,
                "sample": _sample_rows(kind, data, filename, result.rows, SAMPLE_SIZE)
                if result.ok
                else [],
            },
            commit_form=ImportCommitForm(initial={"kind": kind_code, "token": token})
            if token
            else None,
        )
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kinds"] = describe_kinds()
        return context


class TemplateDownloadView(MethodologistRequiredMixin, View):
    def get(self, request, kind, extension):
        if kind not in KINDS:
            return HttpResponse(status=404)
        import_kind = get_kind(kind)
        if extension == "csv":
            content, content_type = template_csv(import_kind), "text/csv; charset=utf-8"
        else:
            content = template_xlsx(import_kind)
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{kind}.{extension}"'
        return response


class ImportLogView(MonitoringAdminView):
    page_title = gettext_lazy("Журнал импорта")
    template_name = "monitoring/admin_imports/log.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filter_form = ImportLogFilterForm(self.request.GET or None)
        batches = ImportBatch.objects.select_related("user", "rolled_back_by").order_by(
            "-created_at", "-pk"
        )
        kind = ""
        if filter_form.is_valid():
            kind = filter_form.cleaned_data["kind"]
            if kind:
                batches = batches.filter(kind=kind)
        paginator = Paginator(batches, LOG_PAGE_SIZE)
        page = paginator.get_page(self.request.GET.get("p"))
        # Only the latest applied import of a kind can be undone (rollback_import's rule).
        latest = set(
            ImportBatch.objects.filter(state=ImportBatch.State.APPLIED)
            .values("kind")
            .annotate(last=Max("pk"))
            .values_list("last", flat=True)
        )
        context.update(
            filter_form=filter_form,
            kind=kind,
            page_obj=page,
            elided_page_range=paginator.get_elided_page_range(page.number),
            entries=[
                {
                    "batch": batch,
                    "kind_title": _kind_title(batch.kind),
                    "can_rollback": batch.pk in latest,
                }
                for batch in page.object_list
            ],
        )
        return context


class RollbackView(MonitoringAdminView):
    template_name = "monitoring/admin_imports/rollback.html"
    header_icon = "history"

    def get_page_title(self):
        return _("Отмена импорта № %(number)s") % {"number": self.kwargs["pk"]}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        batch = get_object_or_404(
            ImportBatch.objects.select_related("user", "rolled_back_by"), pk=self.kwargs["pk"]
        )
        context.update(batch=batch, kind_title=_kind_title(batch.kind))
        return context

    def post(self, request, pk):
        batch = get_object_or_404(ImportBatch, pk=pk)
        try:
            rollback_import(batch, user=request.user)
        except ValueError as error:
            return self.render_to_response(self.get_context_data(error=str(error)))
        batch.refresh_from_db()
        log(
            instance=batch,
            action=ACTION_ROLLED_BACK,
            user=request.user,
            data={"kind": batch.kind, "filename": batch.filename},
        )
        messages.success(
            request,
            _("Импорт № %(number)s («%(name)s») отменён: данные возвращены к прежнему виду.")
            % {"number": batch.pk, "name": batch.filename},
        )
        return redirect(reverse("monitoring_imports:log") + f"?kind={batch.kind}")
