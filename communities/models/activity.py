from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from portal.storage import private_storage

from .pages import CommunityPage


class MembershipState(models.TextChoices):
    REQUESTED = "requested", _("заявка")
    MEMBER = "member", _("участник")
    REJECTED = "rejected", _("заявка отклонена")
    LEFT = "left", _("вышел")


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("участник")
    COORDINATOR = "coordinator", _("координатор")


class Membership(models.Model):
    """One row per person and community: re-joining after leaving reuses it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("педагог"),
        on_delete=models.CASCADE,
        related_name="community_memberships",
    )
    community = models.ForeignKey(
        CommunityPage,
        verbose_name=_("сообщество"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    state = models.CharField(_("состояние"), max_length=16, choices=MembershipState.choices)
    role = models.CharField(
        _("роль"), max_length=16, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    created_at = models.DateTimeField(_("заявка или вступление"), default=timezone.now)
    decided_at = models.DateTimeField(_("когда решено"), null=True, blank=True)

    class Meta:
        verbose_name = _("участие в сообществе")
        verbose_name_plural = _("участники сообществ")
        ordering = ["community", "user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "community"], name="community_membership_unique"
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.community}"


class EventKind(models.TextChoices):
    MEETING = "meeting", _("заседание")
    SEMINAR = "seminar", _("семинар")
    WEBINAR = "webinar", _("вебинар")
    OPEN_LESSON = "open_lesson", _("открытый урок")
    CONSULTATION = "consultation", _("консультация")


class EventFormat(models.TextChoices):
    OFFLINE = "offline", _("очно")
    ONLINE = "online", _("онлайн")


class Event(models.Model):
    community = models.ForeignKey(
        CommunityPage, verbose_name=_("сообщество"), on_delete=models.CASCADE, related_name="events"
    )
    title = models.CharField(_("название"), max_length=300)
    kind = models.CharField(_("вид"), max_length=16, choices=EventKind.choices)
    starts_at = models.DateTimeField(_("начало"))
    ends_at = models.DateTimeField(_("окончание"), null=True, blank=True)
    format = models.CharField(
        _("формат"), max_length=16, choices=EventFormat.choices, default=EventFormat.OFFLINE
    )
    link = models.URLField(
        _("ссылка на трансляцию"),
        blank=True,
        help_text=_("Видна только зарегистрированным участникам."),
    )
    place = models.CharField(_("место"), max_length=300, blank=True)
    agenda = models.TextField(_("повестка"), blank=True)
    documents = models.ManyToManyField(
        "wagtaildocs.Document", verbose_name=_("материалы"), blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("мероприятие сообщества")
        verbose_name_plural = _("мероприятия сообществ")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="community_event_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(format="offline") | ~Q(link=""), name="community_event_online_has_link"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("communities:event_detail", args=[self.pk])


class EventRegistration(models.Model):
    """A member registered for an event; `attended` is marked by the coordinator and is then
    a support record for IND-2 (services.attendance_mark)."""

    event = models.ForeignKey(
        Event, verbose_name=_("мероприятие"), on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("участник"),
        on_delete=models.CASCADE,
        related_name="event_registrations",
    )
    registered_at = models.DateTimeField(default=timezone.now)
    attended = models.BooleanField(_("присутствовал"), default=False)
    marked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("регистрация на мероприятие")
        verbose_name_plural = _("регистрации на мероприятия")
        ordering = ["user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="community_registration_unique"),
        ]

    def __str__(self):
        return f"{self.user} — {self.event}"


class Topic(models.Model):
    community = models.ForeignKey(
        CommunityPage, verbose_name=_("сообщество"), on_delete=models.CASCADE, related_name="topics"
    )
    title = models.CharField(_("тема"), max_length=300)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("автор"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_post_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("тема обсуждения")
        verbose_name_plural = _("темы обсуждений")
        ordering = ["-last_post_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("communities:topic_detail", args=[self.pk])


class Post(models.Model):
    topic = models.ForeignKey(
        Topic, verbose_name=_("тема"), on_delete=models.CASCADE, related_name="posts"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("автор"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    body = models.TextField(_("сообщение"))
    attachment = models.FileField(
        _("вложение"), upload_to="communities/posts/%Y/%m/", blank=True, storage=private_storage
    )
    created_at = models.DateTimeField(default=timezone.now)
    hidden = models.BooleanField(_("скрыто координатором"), default=False)

    class Meta:
        verbose_name = _("сообщение")
        verbose_name_plural = _("сообщения")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.author}: {self.body[:40]}"


class Material(models.Model):
    """A document or a link shared in a community, tagged and searchable by words and tags."""

    community = models.ForeignKey(
        CommunityPage,
        verbose_name=_("сообщество"),
        on_delete=models.CASCADE,
        related_name="materials",
    )
    title = models.CharField(_("название"), max_length=300)
    description = models.TextField(_("описание"), blank=True)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("документ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    url = models.URLField(_("ссылка"), blank=True)
    tags = TaggableManager(verbose_name=_("метки"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("добавил"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("материал сообщества")
        verbose_name_plural = _("материалы сообществ")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(document__isnull=False) | ~Q(url=""), name="material_document_or_link"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def href(self) -> str:
        return self.document.url if self.document_id else self.url
