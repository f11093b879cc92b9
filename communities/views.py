"""The communities' actions and the pages Wagtail does not render: events and the calendar,
discussions, materials, mentoring pairs. The community page itself is a Wagtail page
(models.CommunityPage); its buttons post here and come back to it."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.documents import get_document_model

from portal import roles
from portal.models import User

from . import ics, selectors, services
from .forms import (
    DeclineForm,
    FinishForm,
    MaterialForm,
    MeetingForm,
    MenteePickForm,
    PairForm,
    PlanStepForm,
    ReplyForm,
    TopicForm,
    teacher_choices,
)
from .models import (
    CommunityIndexPage,
    CommunityPage,
    Event,
    EventRegistration,
    Membership,
    MentoringPair,
    PairState,
    PlanStep,
    Post,
    Topic,
)
from .suggestions import mentee_needs, suggest_mentors

MONTHS = [
    "",
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
]


def _community(page_id: int) -> CommunityPage:
    return get_object_or_404(CommunityPage.objects.live(), pk=page_id)


def _error(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _index_crumbs(*extra):
    index = CommunityIndexPage.objects.live().first()
    crumbs = [(_("Сообщества"), index.url if index else None)]
    return crumbs + list(extra)


# --- membership ---------------------------------------------------------------------


@login_required
@require_POST
def join(request, page_id):
    community = _community(page_id)
    try:
        membership = services.community_join(user=request.user, community=community)
    except ValidationError as error:
        _error(request, error)
    else:
        if membership.state == "member":
            messages.success(request, _("Вы вступили в сообщество «%s».") % community.title)
        else:
            messages.success(request, _("Заявка отправлена координатору сообщества."))
    return redirect(community.url)


@login_required
@require_POST
def leave(request, page_id):
    community = _community(page_id)
    try:
        services.community_leave(user=request.user, community=community)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("Вы вышли из сообщества «%s».") % community.title)
    return redirect(community.url)


@login_required
@require_POST
def membership_decide(request, page_id, membership_id):
    community = _community(page_id)
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=membership_id, community=community
    )
    action = request.POST.get("action")
    actions = {
        "approve": (services.membership_approve, _("Заявка одобрена: %s в сообществе.")),
        "reject": (services.membership_reject, _("Заявка отклонена: %s.")),
        "remove": (services.member_remove, _("%s исключён(а) из сообщества.")),
    }
    if action not in actions:
        raise Http404
    service, message = actions[action]
    try:
        service(membership=membership, by=request.user)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, message % membership.user.get_full_name())
    return redirect(community.url + "#members")


# --- discussions and materials ----------------------------------------------------


@login_required
def topic_new(request, page_id):
    community = _community(page_id)
    if not (
        services.is_member(request.user, community)
        or services.can_coordinate(request.user, community)
    ):
        messages.error(request, _("Писать в обсуждениях могут только участники сообщества."))
        return redirect(community.url)
    form = TopicForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            topic, _post = services.topic_start(
                user=request.user,
                community=community,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                attachment=form.cleaned_data["attachment"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Тема создана."))
            return redirect(topic.get_absolute_url())
    return TemplateResponse(
        request,
        "communities/simple_form.html",
        {
            "title": _("Новая тема обсуждения"),
            "lead": community.title,
            "form": form,
            "multipart": True,
            "cancel_url": community.url + "#discussions",
            "crumbs": _index_crumbs((community.title, community.url), (_("Новая тема"), None)),
        },
    )


@login_required
def topic_detail(request, pk):
    topic = get_object_or_404(Topic.objects.select_related("community", "author"), pk=pk)
    community = topic.community.specific
    coordinates = services.can_coordinate(request.user, community)
    member = services.is_member(request.user, community)
    if not (member or coordinates or roles.is_methodologist(request.user)):
        messages.error(request, _("Обсуждения видны только участникам сообщества."))
        return redirect(community.url)
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_reply(
                user=request.user,
                topic=topic,
                body=form.cleaned_data["body"],
                attachment=form.cleaned_data["attachment"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Ответ опубликован."))
            return redirect(topic.get_absolute_url() + "#reply")
    return TemplateResponse(
        request,
        "communities/topic_detail.html",
        {
            "topic": topic,
            "community": community,
            "posts": selectors.topic_posts(topic, show_hidden=coordinates),
            "form": form,
            "can_post": member or coordinates,
            "can_coordinate": coordinates,
            "crumbs": _index_crumbs((community.title, community.url), (topic.title, None)),
        },
    )


@login_required
@require_POST
def post_hide(request, pk):
    post = get_object_or_404(Post.objects.select_related("topic__community"), pk=pk)
    hidden = request.POST.get("hidden") == "1"
    services.post_set_hidden(post=post, by=request.user, hidden=hidden)
    messages.success(request, _("Сообщение скрыто.") if hidden else _("Сообщение снова видно."))
    return redirect(post.topic.get_absolute_url())


@login_required
def material_add(request, page_id):
    community = _community(page_id)
    if not (
        services.is_member(request.user, community)
        or services.can_coordinate(request.user, community)
    ):
        messages.error(request, _("Добавлять материалы могут участники сообщества."))
        return redirect(community.url)
    form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                document = None
                if data["file"]:
                    document = get_document_model().objects.create(
                        title=data["title"], file=data["file"], uploaded_by_user=request.user
                    )
                services.material_add(
                    user=request.user,
                    community=community,
                    title=data["title"],
                    description=data["description"],
                    document=document,
                    url=data["url"],
                    tags=form.tag_list(),
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Материал добавлен."))
            return redirect(community.url + "#materials")
    return TemplateResponse(
        request,
        "communities/simple_form.html",
        {
            "title": _("Новый материал"),
            "lead": community.title,
            "form": form,
            "multipart": True,
            "cancel_url": community.url + "#materials",
            "crumbs": _index_crumbs((community.title, community.url), (_("Материал"), None)),
        },
    )


# --- events and the calendar ------------------------------------------------------


def _can_see_link(user, event: Event, registration) -> bool:
    return registration is not None or services.can_coordinate(user, event.community)


def event_detail(request, pk):
    event = get_object_or_404(
        Event.objects.select_related("community__coordinator").filter(community__live=True), pk=pk
    )
    community = event.community
    user = request.user
    registration = (
        EventRegistration.objects.filter(event=event, user=user).first()
        if user.is_authenticated
        else None
    )
    coordinates = services.can_coordinate(user, community)
    context = {
        "event": event,
        "community": community,
        "registration": registration,
        "show_link": _can_see_link(user, event, registration),
        "is_member": services.is_member(user, community),
        "can_coordinate": coordinates,
        "started": event.starts_at <= timezone.now(),
        "documents": list(event.documents.all()),
        "registered_count": event.registrations.count(),
        "crumbs": _index_crumbs((community.title, community.url), (event.title, None)),
    }
    if coordinates:
        context["registrations"] = list(event.registrations.select_related("user__school"))
    return TemplateResponse(request, "communities/event_detail.html", context)


@login_required
@require_POST
def event_register(request, pk):
    event = get_object_or_404(Event.objects.select_related("community"), pk=pk)
    try:
        if request.POST.get("action") == "cancel":
            services.event_unregister(user=request.user, event=event)
            messages.success(request, _("Регистрация отменена."))
        else:
            services.event_register(user=request.user, event=event)
            messages.success(request, _("Вы зарегистрированы на мероприятие."))
    except ValidationError as error:
        _error(request, error)
    return redirect(event.get_absolute_url())


@login_required
@require_POST
def event_attendance(request, pk):
    event = get_object_or_404(Event.objects.select_related("community"), pk=pk)
    try:
        present = {int(value) for value in request.POST.getlist("present") if value.isdigit()}
        count = services.attendance_mark(event=event, present_user_ids=present, by=request.user)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("Присутствие отмечено: %(n)s чел.") % {"n": count})
    return redirect(event.get_absolute_url() + "#attendance")


def _month(request) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in request.GET.get("month", "").split("-"))
        datetime.date(year, month, 1)
        if not 2000 <= year <= 2100:
            raise ValueError
    except ValueError:
        return today.year, today.month
    return year, month


def event_calendar(request):
    year, month = _month(request)
    previous = datetime.date(year, month, 1) - datetime.timedelta(days=1)
    following = datetime.date(year, month, 28) + datetime.timedelta(days=5)
    return TemplateResponse(
        request,
        "communities/event_calendar.html",
        {
            "days": selectors.calendar_days(year, month),
            "month_label": f"{MONTHS[month]} {year}",
            "previous": f"{previous.year}-{previous.month:02d}",
            "following": f"{following.year}-{following.month:02d}",
            "today": timezone.localdate(),
            "crumbs": _index_crumbs((_("Календарь мероприятий"), None)),
        },
    )


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _ics_response(body: str, filename: str) -> HttpResponse:
    response = HttpResponse(body.encode(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def event_ics(request, pk):
    event = get_object_or_404(
        Event.objects.select_related("community").filter(community__live=True), pk=pk
    )
    registration = (
        EventRegistration.objects.filter(event=event, user=request.user).exists()
        if request.user.is_authenticated
        else False
    )
    show = (
        {event.pk}
        if registration or services.can_coordinate(request.user, event.community)
        else set()
    )
    body = ics.calendar([event], _base_url(request), event.title, show_links=show)
    return _ics_response(body, f"event-{event.pk}.ics")


def calendar_ics(request):
    # The published calendar: a year back and a year ahead; links are never included.
    now = timezone.now()
    events = selectors.events_between(
        now - datetime.timedelta(days=365), now + datetime.timedelta(days=366)
    )
    body = ics.calendar(events, _base_url(request), _("Мероприятия сообществ педагогов"))
    return _ics_response(body, "communities.ics")


# --- mentoring pairs --------------------------------------------------------------


@login_required
def pair_list(request):
    state = request.GET.get("state", "")
    pairs = selectors.pair_list(request.user, state)
    return TemplateResponse(
        request,
        "communities/pair_list.html",
        {
            "pairs": pairs,
            "state": state,
            "states": PairState.choices,
            "can_propose": services.can_propose_pair(request.user),
            "is_methodologist": roles.is_methodologist(request.user),
            "crumbs": [(_("Личный кабинет"), reverse("cabinet")), (_("Наставничество"), None)],
        },
    )


def _mentee_queryset(user):
    teachers = teacher_choices()
    if roles.is_methodologist(user):
        return teachers
    return teachers.filter(school=user.confirmed_school)


@login_required
def pair_suggest(request):
    if not services.can_propose_pair(request.user):
        raise PermissionDenied
    queryset = _mentee_queryset(request.user)
    form = MenteePickForm(request.GET or None, queryset=queryset)
    suggestions, needs, mentee = [], None, None
    if form.is_valid():
        mentee = form.cleaned_data["mentee"]
        needs = mentee_needs(mentee)
        suggestions = suggest_mentors(mentee)
    return TemplateResponse(
        request,
        "communities/pair_suggest.html",
        {
            "form": form,
            "mentee": mentee,
            "needs": needs,
            "suggestions": suggestions,
            "crumbs": [
                (_("Наставничество"), reverse("communities:pair_list")),
                (_("Подбор наставника"), None),
            ],
        },
    )


@login_required
def pair_new(request):
    if not services.can_propose_pair(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    initial = {
        "start_date": today,
        "end_date": today.replace(year=today.year + 1) - datetime.timedelta(days=1),
    }
    for key in ("mentor", "mentee"):
        if request.GET.get(key, "").isdigit():
            initial[key] = int(request.GET[key])
    if "mentee" in initial:
        mentee = User.objects.filter(pk=initial["mentee"]).first()
        if mentee is not None:
            needs = mentee_needs(mentee)
            initial["deficits"] = "; ".join(sorted({d for _k, _s, d in needs["deficits"]}))
    form = PairForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pair = services.pair_propose(
                by=request.user,
                mentor=data["mentor"],
                mentee=data["mentee"],
                goals=data["goals"],
                deficits=data["deficits"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                subjects=list(data["subjects"]),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Пара предложена. Теперь её должны принять наставник и наставляемый.")
            )
            return redirect(pair.get_absolute_url())
    return TemplateResponse(
        request,
        "communities/simple_form.html",
        {
            "title": _("Новая наставническая пара"),
            "form": form,
            "cancel_url": reverse("communities:pair_list"),
            "submit_label": _("Предложить пару"),
            "crumbs": [
                (_("Наставничество"), reverse("communities:pair_list")),
                (_("Новая пара"), None),
            ],
        },
    )


PAIR_ACTIONS = ("accept", "decline", "approve", "step", "toggle", "meeting", "finish")


@login_required
def pair_detail(request, pk):
    pair = get_object_or_404(
        MentoringPair.objects.select_related(
            "mentor__school", "mentee__school", "proposed_by", "approved_by"
        ),
        pk=pk,
    )
    user = request.user
    if not selectors.can_view_pair(user, pair):
        raise PermissionDenied
    action = request.POST.get("action") if request.method == "POST" else None
    forms = {
        "step": PlanStepForm(request.POST if action == "step" else None, prefix="step"),
        "meeting": MeetingForm(
            request.POST if action == "meeting" else None,
            prefix="meeting",
            initial={"date": timezone.localdate()},
        ),
        "finish": FinishForm(request.POST if action == "finish" else None, prefix="finish"),
        "decline": DeclineForm(request.POST if action == "decline" else None, prefix="decline"),
    }
    if action in PAIR_ACTIONS:
        done = _pair_action(request, pair, action, forms)
        if done:
            messages.success(request, done)
            return redirect(pair.get_absolute_url())
    steps = list(pair.steps.all())
    meetings = list(pair.meetings.select_related("author"))
    last = meetings[0].date if meetings else None
    return TemplateResponse(
        request,
        "communities/pair_detail.html",
        {
            "pair": pair,
            "steps": steps,
            "meetings": meetings,
            "quiet": pair.quiet_since(last),
            "subjects": list(pair.subjects.all()),
            "forms": forms,
            "is_mentor": user.pk == pair.mentor_id,
            "is_mentee": user.pk == pair.mentee_id,
            "my_acceptance": (
                pair.mentor_accepted_at if user.pk == pair.mentor_id else pair.mentee_accepted_at
            ),
            "is_methodologist": roles.is_methodologist(user),
            "can_edit": services.can_edit_plan(user, pair),
            "crumbs": [
                (_("Наставничество"), reverse("communities:pair_list")),
                (str(pair), None),
            ],
        },
    )


def _pair_action(request, pair, action, forms) -> str | None:
    """Run one action from the pair's page; the message on success, None when a form or a
    rule refused it (the errors are then on the form or in the messages)."""
    user = request.user
    try:
        if action == "accept":
            pair = services.pair_accept(pair=pair, user=user)
            if pair.state == PairState.AGREED:
                return _("Согласие получено от обоих педагогов: пара ждёт утверждения методистом.")
            return _("Вы дали согласие. Ждём согласия второго педагога.")
        if action == "approve":
            services.pair_approve(pair=pair, by=user)
            return _("Пара утверждена и стала активной.")
        if action == "toggle":
            step = get_object_or_404(PlanStep, pk=request.POST.get("step"), pair=pair)
            services.plan_step_toggle(step=step, by=user)
            return _("План обновлён.")
        form = forms[action]
        if not form.is_valid():
            return None
        data = form.cleaned_data
        if action == "decline":
            services.pair_decline(pair=pair, user=user, reason=data["outcome"])
            return _("Вы отказались от пары.")
        if action == "step":
            services.plan_step_add(
                pair=pair, by=user, title=data["title"], due_date=data["due_date"]
            )
            return _("Шаг добавлен в план.")
        if action == "meeting":
            services.meeting_log(
                pair=pair, by=user, date=data["date"], topic=data["topic"], notes=data["notes"]
            )
            return _("Встреча записана в журнал.")
        if action == "finish":
            services.pair_finish(pair=pair, by=user, state=data["state"], outcome=data["outcome"])
            return _("Работа пары окончена, итог записан.")
    except ValidationError as error:
        if action in forms:
            forms[action].add_error(None, error)
        else:
            _error(request, error)
    return None


def post_attachment(request, pk):
    """A discussion attachment, for those who may read the discussion (not a public URL)."""
    from django.http import FileResponse, Http404

    from .models import Post

    post = get_object_or_404(Post.objects.select_related("topic__community"), pk=pk)
    community = post.topic.community.specific
    allowed = (
        services.is_member(request.user, community)
        or services.can_coordinate(request.user, community)
        or roles.is_methodologist(request.user)
    )
    if (
        not allowed
        or not post.attachment
        or (post.hidden and not services.can_coordinate(request.user, community))
    ):
        raise Http404
    return FileResponse(
        post.attachment.open("rb"),
        as_attachment=True,
        filename=post.attachment.name.rsplit("/", 1)[-1],
    )
