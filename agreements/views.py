"""Public registry, an agreement's page with its actions, the partner finder and requests.

Views only translate HTTP into service calls: the rules are in services.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import ModelLogEntry

from portal.roles import is_head_of, is_methodologist

from . import services
from .finder import partner_candidates
from .forms import (
    AgreementCreateForm,
    AgreementFieldsForm,
    DocumentForm,
    PartnerRequestForm,
    PlanItemForm,
    RegistryFilterForm,
    ReportForm,
    TerminateForm,
    apply_errors,
)
from .models import Agreement, AgreementParty, PartnerRequest, PlanItem, Report
from .selectors import activity_flags, registry

State = Agreement.State


def _crumbs(*extra):
    return [(_("Договоры о сотрудничестве"), "/agreements/"), *extra]


def agreement_list(request):
    form = RegistryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    agreements = registry(
        query=filters.get("q") or "",
        state=filters.get("state") or "",
        kind=filters.get("kind") or "",
        year=filters.get("year"),
    )
    page = Paginator(agreements, 20).get_page(request.GET.get("page"))
    mine = []
    user = request.user
    if user.is_authenticated and (is_methodologist(user) or user.confirmed_school):
        own = Agreement.objects.exclude(signed_at__isnull=False)
        if not is_methodologist(user):
            own = own.filter(parties__school=user.confirmed_school)
        mine = list(own.prefetch_related("parties__school").distinct().order_by("-updated_at")[:20])
    return render(
        request,
        "agreements/agreement_list.html",
        {
            "form": form,
            "page_obj": page,
            "total": page.paginator.count,
            "in_work": mine,
            "can_create": user.is_authenticated
            and (is_methodologist(user) or is_head_of(user, user.confirmed_school)),
        },
    )


def _get_visible(request, pk) -> Agreement:
    agreement = get_object_or_404(Agreement, pk=pk)
    if agreement.signed_at is None and not services.can_view_internal(request.user, agreement):
        # A draft is not public: the parties and methodologists only.
        raise Http404
    return agreement


def agreement_detail(request, pk):
    agreement = _get_visible(request, pk)
    user = request.user
    internal = services.can_view_internal(user, agreement)
    parties = list(agreement.parties.select_related("school"))
    version = agreement.versions.filter(number=agreement.version).first()
    signatures = list(
        agreement.signatures.select_related("school", "version").order_by("signed_at")
    )
    signed_now = {s.school_id for s in signatures if s.voided_at is None and s.version == version}
    my_schools = services.party_schools_of(user, agreement) if user.is_authenticated else []
    plan = list(agreement.plan.prefetch_related("reports")) if internal else []
    history = (
        ModelLogEntry.objects.for_instance(agreement).select_related("user").order_by("-timestamp")
        if internal
        else []
    )
    return render(
        request,
        "agreements/agreement_detail.html",
        {
            "agreement": agreement,
            "parties": parties,
            "version": version,
            "versions": agreement.versions.order_by("number") if internal else [],
            "signatures": signatures,
            "signed_now": signed_now,
            "internal": internal,
            "plan": plan,
            "history": history,
            "flags": activity_flags(agreement) if internal else {},
            "can_edit": services.can_edit(user, agreement) if user.is_authenticated else False,
            "can_sign": bool(
                agreement.state in (State.REVIEW, State.PARTLY_SIGNED)
                and [s for s in my_schools if s.pk not in signed_now]
            ),
            "can_act": agreement.state == State.ACTIVE
            and (is_methodologist(user) or bool(my_schools)),
            "can_report": internal
            and agreement.state in (State.ACTIVE, State.COMPLETED, State.EXPIRED)
            and (is_methodologist(user) or bool(my_schools)),
            "crumbs": _crumbs((agreement.number, None)),
        },
    )


def agreement_pdf(request, pk):
    agreement = _get_visible(request, pk)
    number = request.GET.get("version")
    versions = agreement.versions.exclude(pdf="")
    if number and number.isdigit():
        version = get_object_or_404(versions, number=int(number))
        if version.number != agreement.version and not services.can_view_internal(
            request.user, agreement
        ):
            raise Http404
    else:
        version = versions.filter(number=agreement.version).first()
        if version is None:
            if not services.can_view_internal(request.user, agreement):
                raise Http404
            version = services.version_pdf(agreement) if agreement.is_editable else None
            if version is None:
                raise Http404
    return FileResponse(
        version.pdf.open("rb"),
        content_type="application/pdf",
        filename=f"dogovor-{agreement.number}-v{version.number}.pdf",
    )


@login_required
def agreement_create(request):
    user = request.user
    if not (is_methodologist(user) or is_head_of(user, user.confirmed_school)):
        raise PermissionDenied
    initial = {}
    if user.confirmed_school and not is_methodologist(user):
        initial["leader"] = user.confirmed_school
    form = AgreementCreateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        partners = [(school, AgreementParty.Role.TARGET) for school in data["partners"]]
        if data.get("resource"):
            partners.append((data["resource"], AgreementParty.Role.RESOURCE))
        try:
            agreement = services.agreement_create(
                user=user,
                leader=data["leader"],
                partners=partners,
                title=data["title"],
                purpose=data["purpose"],
                support_kinds=data["support_kinds"],
                subjects=list(data["subjects"]),
                start_date=data["start_date"],
                end_date=data["end_date"],
            )
        except PermissionDenied:
            form.add_error(
                None, _("Вы можете создать договор только для школы, которой руководите.")
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Черновик договора создан. Добавьте план мероприятий."))
            return redirect(agreement)
    return render(
        request,
        "agreements/agreement_form.html",
        {"form": form, "title": _("Новый договор"), "crumbs": _crumbs((_("Новый договор"), None))},
    )


@login_required
def agreement_edit(request, pk):
    agreement = get_object_or_404(Agreement, pk=pk)
    if not services.can_edit(request.user, agreement):
        raise PermissionDenied
    initial = {
        "title": agreement.title,
        "purpose": agreement.purpose,
        "support_kinds": agreement.support_kinds,
        "subjects": agreement.subjects.all(),
        "start_date": agreement.start_date,
        "end_date": agreement.end_date,
    }
    form = AgreementFieldsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["subjects"] = list(data["subjects"])
        had_signatures = agreement.signatures.filter(voided_at__isnull=True).exists()
        try:
            services.agreement_update(agreement=agreement, user=request.user, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if had_signatures:
                messages.warning(
                    request,
                    _("Договор изменён: подписи аннулированы, начата новая редакция."),
                )
            else:
                messages.success(request, _("Изменения сохранены."))
            return redirect(agreement)
    return render(
        request,
        "agreements/agreement_form.html",
        {
            "form": form,
            "agreement": agreement,
            "title": _("Изменение договора № %(number)s") % {"number": agreement.number},
            "warn_signatures": agreement.signatures.filter(voided_at__isnull=True).exists(),
            "crumbs": _crumbs(
                (agreement.number, agreement.get_absolute_url()), (_("Изменение"), None)
            ),
        },
    )


@login_required
def plan_item_edit(request, pk, item_pk=None):
    agreement = get_object_or_404(Agreement, pk=pk)
    item = get_object_or_404(PlanItem, pk=item_pk, agreement=agreement) if item_pk else None
    if not services.can_edit(request.user, agreement):
        raise PermissionDenied
    form = PlanItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in PlanItemForm.Meta.fields}
        try:
            services.plan_item_save(agreement=agreement, user=request.user, item=item, **fields)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("План сохранён."))
            return redirect(f"{agreement.get_absolute_url()}#plan")
    title = _("Пункт плана") if item else _("Новый пункт плана")
    return render(
        request,
        "agreements/simple_form.html",
        {
            "form": form,
            "title": title,
            "lead": _("Срок договора: с %(start)s по %(end)s.")
            % {
                "start": agreement.start_date.strftime("%d.%m.%Y"),
                "end": agreement.end_date.strftime("%d.%m.%Y"),
            },
            "cancel_url": agreement.get_absolute_url(),
            "crumbs": _crumbs((agreement.number, agreement.get_absolute_url()), (title, None)),
        },
    )


@login_required
@require_POST
def plan_item_delete(request, pk, item_pk):
    item = get_object_or_404(PlanItem, pk=item_pk, agreement_id=pk)
    services.plan_item_delete(item=item, user=request.user)
    messages.success(request, _("Пункт плана удалён."))
    return redirect(f"{item.agreement.get_absolute_url()}#plan")


def _transition(request, pk, action, success):
    agreement = get_object_or_404(Agreement, pk=pk)
    try:
        action(agreement=agreement, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect(agreement)


@login_required
@require_POST
def agreement_submit(request, pk):
    return _transition(
        request, pk, services.agreement_submit, _("Договор отправлен на согласование сторонам.")
    )


@login_required
@require_POST
def agreement_sign(request, pk):
    return _transition(request, pk, services.agreement_sign, _("Договор подписан вашей школой."))


@login_required
@require_POST
def agreement_complete(request, pk):
    return _transition(
        request, pk, services.agreement_complete, _("Договор отмечен как исполненный.")
    )


@login_required
def agreement_terminate(request, pk):
    agreement = get_object_or_404(Agreement, pk=pk)
    form = TerminateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_terminate(
                agreement=agreement, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Договор расторгнут."))
            return redirect(agreement)
    return render(
        request,
        "agreements/simple_form.html",
        {
            "form": form,
            "title": _("Расторжение договора № %(number)s") % {"number": agreement.number},
            "submit_label": _("Расторгнуть"),
            "cancel_url": agreement.get_absolute_url(),
            "crumbs": _crumbs(
                (agreement.number, agreement.get_absolute_url()), (_("Расторжение"), None)
            ),
        },
    )


@login_required
def document_add(request, pk):
    agreement = get_object_or_404(Agreement, pk=pk)
    if not services.can_view_internal(request.user, agreement):
        raise PermissionDenied
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        services.document_attach(
            agreement=agreement,
            user=request.user,
            title=form.cleaned_data["title"],
            upload=form.cleaned_data["file"],
        )
        messages.success(request, _("Документ добавлен."))
        return redirect(agreement)
    return render(
        request,
        "agreements/simple_form.html",
        {
            "form": form,
            "title": _("Документ к договору № %(number)s") % {"number": agreement.number},
            "multipart": True,
            "cancel_url": agreement.get_absolute_url(),
            "crumbs": _crumbs(
                (agreement.number, agreement.get_absolute_url()), (_("Документ"), None)
            ),
        },
    )


@login_required
def report_create(request, pk, item_pk):
    item = get_object_or_404(
        PlanItem.objects.select_related("agreement"), pk=item_pk, agreement_id=pk
    )
    agreement = item.agreement
    if not services.can_view_internal(request.user, agreement):
        raise PermissionDenied
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_add(plan_item=item, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Отчёт сохранён."))
            return redirect(f"{agreement.get_absolute_url()}#plan")
    return render(
        request,
        "agreements/simple_form.html",
        {
            "form": form,
            "title": _("Отчёт: %(action)s") % {"action": item.action},
            "multipart": True,
            "cancel_url": agreement.get_absolute_url(),
            "crumbs": _crumbs((agreement.number, agreement.get_absolute_url()), (_("Отчёт"), None)),
        },
    )


@login_required
def partner_finder(request):
    user = request.user
    school = user.confirmed_school
    if not (school and is_head_of(user, school)) and not is_methodologist(user):
        raise PermissionDenied
    if is_methodologist(user) and request.GET.get("school"):
        from portal.models import School

        school = get_object_or_404(School, code=request.GET["school"])
    if school is None:
        raise PermissionDenied
    candidates = partner_candidates(school)
    return render(
        request,
        "agreements/partner_finder.html",
        {
            "school": school,
            "candidates": candidates,
            "can_request": is_head_of(user, school),
            "crumbs": _crumbs((_("Поиск партнёра"), None)),
        },
    )


@login_required
def partner_request_create(request, code):
    from portal.models import School

    user = request.user
    to_school = get_object_or_404(School, code=code)
    from_school = user.confirmed_school
    if not (from_school and is_head_of(user, from_school)):
        raise PermissionDenied
    form = PartnerRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_request_send(
                user=user,
                from_school=from_school,
                to_school=to_school,
                subjects=form.cleaned_data["subjects"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Запрос отправлен руководителю школы «%(school)s».") % {"school": to_school},
            )
            return redirect("agreements:requests")
    return render(
        request,
        "agreements/simple_form.html",
        {
            "form": form,
            "title": _("Запрос о партнёрстве: %(school)s") % {"school": to_school},
            "submit_label": _("Отправить запрос"),
            "cancel_url": "/agreements/partners/",
            "crumbs": _crumbs((_("Поиск партнёра"), "/agreements/partners/"), (_("Запрос"), None)),
        },
    )


@login_required
def partner_requests(request):
    user = request.user
    school = user.confirmed_school
    if not (school and is_head_of(user, school)):
        raise PermissionDenied
    incoming = (
        PartnerRequest.objects.filter(to_school=school)
        .select_related("from_school", "agreement", "sent_by")
        .prefetch_related("subjects")
    )
    outgoing = (
        PartnerRequest.objects.filter(from_school=school)
        .select_related("to_school", "agreement")
        .prefetch_related("subjects")
    )
    return render(
        request,
        "agreements/partner_requests.html",
        {
            "incoming": incoming,
            "outgoing": outgoing,
            "crumbs": _crumbs((_("Запросы о партнёрстве"), None)),
        },
    )


@login_required
@require_POST
def partner_request_decide(request, pk):
    partner_request = get_object_or_404(PartnerRequest, pk=pk)
    accept = request.POST.get("decision") == "accept"
    try:
        decided = services.partner_request_decide(
            request=partner_request,
            user=request.user,
            accept=accept,
            comment=request.POST.get("comment", "")[:2000],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("agreements:requests")
    if accept:
        messages.success(request, _("Запрос принят: создан черновик договора."))
        return redirect(decided.agreement)
    messages.info(request, _("Запрос отклонён."))
    return redirect("agreements:requests")


def _private_file(request, agreement, field_file):
    if not field_file or not services.can_view_internal(request.user, agreement):
        raise Http404
    return FileResponse(
        field_file.open("rb"), as_attachment=True, filename=field_file.name.rsplit("/", 1)[-1]
    )


def document_file(request, pk, document_pk):
    agreement = get_object_or_404(Agreement, pk=pk)
    document = get_object_or_404(agreement.documents, pk=document_pk)
    return _private_file(request, agreement, document.file)


def report_file(request, pk, report_pk):
    agreement = get_object_or_404(Agreement, pk=pk)
    report = get_object_or_404(Report, pk=report_pk, plan_item__agreement=agreement)
    return _private_file(request, agreement, report.attachment)
