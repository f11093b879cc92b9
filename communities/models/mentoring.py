import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A pair with no logged meeting for this long is flagged (issue 6).
QUIET_DAYS = 42


class PairState(models.TextChoices):
    PROPOSED = "proposed", _("предложена")
    AGREED = "agreed", _("согласована")
    ACTIVE = "active", _("активна")
    COMPLETED = "completed", _("завершена")
    INTERRUPTED = "interrupted", _("прервана")


OPEN_STATES = (PairState.PROPOSED, PairState.AGREED, PairState.ACTIVE)
ENDED_STATES = (PairState.COMPLETED, PairState.INTERRUPTED)


class MentorProfile(models.Model):
    """What a teacher declares they can help colleagues with (used by the suggestions)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("педагог"),
        on_delete=models.CASCADE,
        related_name="mentor_profile",
    )
    subjects = models.ManyToManyField("portal.Subject", verbose_name=_("предметы"), blank=True)
    strengths = models.JSONField(
        _("сильные стороны"),
        default=list,
        blank=True,
        help_text=_("Темы, в которых педагог готов помогать, как дефициты в диагностике."),
    )
    available = models.BooleanField(_("готов быть наставником"), default=True)

    class Meta:
        verbose_name = _("профиль наставника")
        verbose_name_plural = _("профили наставников")

    def __str__(self):
        return str(self.user)


class MentoringPair(models.Model):
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("наставник"),
        on_delete=models.PROTECT,
        related_name="mentor_pairs",
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("наставляемый"),
        on_delete=models.PROTECT,
        related_name="mentee_pairs",
    )
    subjects = models.ManyToManyField("portal.Subject", verbose_name=_("предметы"), blank=True)
    deficits = models.TextField(_("дефициты, на которые направлена работа"), blank=True)
    goals = models.TextField(_("цели"))
    start_date = models.DateField(_("начало"))
    end_date = models.DateField(_("окончание"))
    state = models.CharField(
        _("состояние"), max_length=16, choices=PairState.choices, default=PairState.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("предложил"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    mentor_accepted_at = models.DateTimeField(_("наставник согласился"), null=True, blank=True)
    mentee_accepted_at = models.DateTimeField(_("наставляемый согласился"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("утвердил"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    activated_on = models.DateField(_("активна с"), null=True, blank=True)
    ended_on = models.DateField(_("окончена"), null=True, blank=True)
    outcome = models.TextField(_("итог"), blank=True)

    class Meta:
        verbose_name = _("наставническая пара")
        verbose_name_plural = _("наставнические пары")
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(mentor=F("mentee")), name="pair_mentor_is_not_mentee"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="pair_end_after_start"
            ),
            # An ended pair states its outcome.
            models.CheckConstraint(
                condition=Q(state__in=["proposed", "agreed", "active"]) | ~Q(outcome=""),
                name="pair_ended_has_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(state="active") | Q(activated_on__isnull=False),
                name="pair_active_has_date",
            ),
            # One open pair per mentor and mentee at a time.
            models.UniqueConstraint(
                fields=["mentor", "mentee"],
                condition=Q(state__in=["proposed", "agreed", "active"]),
                name="pair_open_unique",
            ),
        ]

    def __str__(self):
        return f"{self.mentor.get_short_name()} → {self.mentee.get_short_name()}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("communities:pair_detail", args=[self.pk])

    def quiet_since(self, last_meeting: datetime.date | None, today=None) -> bool:
        """An active pair whose last meeting (or its start) is more than 6 weeks ago."""
        if self.state != PairState.ACTIVE:
            return False
        today = today or timezone.localdate()
        since = last_meeting or self.activated_on
        return since is not None and (today - since).days > QUIET_DAYS


class PlanStep(models.Model):
    pair = models.ForeignKey(
        MentoringPair, verbose_name=_("пара"), on_delete=models.CASCADE, related_name="steps"
    )
    title = models.CharField(_("шаг"), max_length=300)
    due_date = models.DateField(_("срок"))
    done = models.BooleanField(_("выполнен"), default=False)

    class Meta:
        verbose_name = _("шаг плана")
        verbose_name_plural = _("план наставничества")
        ordering = ["due_date", "pk"]

    def __str__(self):
        return self.title


class MeetingLog(models.Model):
    pair = models.ForeignKey(
        MentoringPair, verbose_name=_("пара"), on_delete=models.CASCADE, related_name="meetings"
    )
    date = models.DateField(_("дата встречи"))
    topic = models.CharField(_("тема встречи"), max_length=300)
    notes = models.TextField(_("что сделано"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("записал"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("встреча пары")
        verbose_name_plural = _("журнал встреч")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.date}: {self.topic}"
