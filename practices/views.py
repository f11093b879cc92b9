from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from . import services
from .forms import AdoptionForm, PracticeProposalForm
from .models import PracticeIndexPage, PracticePage
from .selectors import my_practices, proposal_initial


def _bank_crumbs(*extra):
    index = PracticeIndexPage.objects.live().first()
    crumbs = [(index.title, index.url)] if index else []
    return crumbs + list(extra)


@login_required
def propose(request):
    """«Предложить практику»: a form with a preview; sending creates a draft in moderation."""
    form = PracticeProposalForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = {
                "data": form.cleaned_data,
                "body": services.proposal_body(form.cleaned_data),
            }
        else:
            practice = services.practice_submit(
                user=request.user, data=form.cleaned_data, files=form.cleaned_data["files"]
            )
            messages.success(
                request,
                _(
                    "Практика «%(title)s» отправлена на проверку методисту. Статус — в разделе «Мои практики»."
                )
                % {"title": practice.title},
            )
            return redirect("my_practices")
    return render(
        request,
        "practices/propose.html",
        {
            "form": form,
            "preview": preview,
            "crumbs": _bank_crumbs((_("Предложить практику"), None)),
        },
    )


@login_required
def edit(request, pk):
    """The author edits a practice (returned for changes, a draft, or a published one) and
    sends it to moderation again."""
    practice = get_object_or_404(PracticePage, pk=pk)
    if not services.can_edit(practice, request.user):
        raise PermissionDenied
    draft = practice.get_latest_revision_as_object()
    form = PracticeProposalForm(
        request.POST or None, request.FILES or None, initial=proposal_initial(draft)
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = {"data": form.cleaned_data, "body": services.proposal_body(form.cleaned_data)}
        else:
            services.practice_resubmit(
                practice=practice,
                user=request.user,
                data=form.cleaned_data,
                files=form.cleaned_data["files"],
            )
            messages.success(request, _("Изменения отправлены на проверку методисту."))
            return redirect("my_practices")
    return render(
        request,
        "practices/propose.html",
        {
            "form": form,
            "preview": preview,
            "editing": draft,
            "crumbs": [
                (_("Личный кабинет"), "/cabinet/"),
                (_("Мои практики"), "/cabinet/practices/"),
                (draft.title, None),
            ],
        },
    )


@login_required
def adopt(request, pk):
    practice = get_object_or_404(PracticePage.objects.live().public(), pk=pk)
    school = request.user.confirmed_school
    if school is None:
        messages.error(
            request, _("Отметить применение может педагог с подтверждённым членством в школе.")
        )
        return redirect(practice.url)
    existing = practice.adoptions.filter(school=school).first()
    form = AdoptionForm(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        try:
            services.adoption_record(practice=practice, user=request.user, **form.cleaned_data)
        except PermissionDenied as error:
            messages.error(request, str(error))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Спасибо! Применение практики в %(school)s отмечено.")
                % {"school": school.short_name},
            )
            return redirect(f"{practice.url}#adoptions")
    return render(
        request,
        "practices/adopt.html",
        {
            "form": form,
            "practice": practice,
            "school": school,
            "crumbs": _bank_crumbs(
                (practice.title, practice.url), (_("Отметить применение"), None)
            ),
        },
    )


@login_required
def my_practices_view(request):
    return render(
        request,
        "practices/my_practices.html",
        {
            "practices": my_practices(request.user),
            "crumbs": [(_("Личный кабинет"), "/cabinet/"), (_("Мои практики"), None)],
        },
    )
