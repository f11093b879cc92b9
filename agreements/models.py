"""Partnership agreements between schools (договоры о сотрудничестве / о сетевом
взаимодействии): parties, plan, versions with their stored PDF, signatures, reports, and the
partner requests that start them.

Rules that span rows (a plan item inside the term, no second active agreement between the
same schools for the same subjects, who may sign) are checked in `services.py`; the ones a
row can carry are database constraints here.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from portal.models import School, Subject
from portal.storage import private_storage


class SupportKind(models.TextChoices):
    CONSULTING = "consulting", _("консультационная")
    METHODOLOGICAL = "methodological", _("методическая")
    ORGANISATIONAL = "organisational", _("организационная")
    RESOURCE = "resource", _("ресурсная")
    STAFF = "staff", _("кадровая")


class AgreementQuerySet(models.QuerySet):
    def public(self):
        """What the public registry lists: agreements that came into force."""
        return self.filter(signed_at__isnull=False)

    def with_school(self, school):
        return self.filter(parties__school=school).distinct()


class Agreement(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("черновик")
        REVIEW = "review", _("на согласовании")
        PARTLY_SIGNED = "partly_signed", _("подписан одной стороной")
        ACTIVE = "active", _("действует")
        COMPLETED = "completed", _("исполнен")
        TERMINATED = "terminated", _("расторгнут")
        EXPIRED = "expired", _("истёк")

    number = models.CharField(_("номер"), max_length=40, unique=True)
    title = models.CharField(_("предмет договора"), max_length=300)
    purpose = models.TextField(_("цель"), blank=True)
    support_kinds = models.JSONField(_("виды поддержки"), default=list, blank=True)
    subjects = models.ManyToManyField(
        Subject, verbose_name=_("предметы"), blank=True, related_name="agreements"
    )
    start_date = models.DateField(_("начало срока"))
    end_date = models.DateField(_("окончание срока"))
    state = models.CharField(
        _("состояние"), max_length=16, choices=State.choices, default=State.DRAFT
    )
    version = models.PositiveIntegerField(_("редакция"), default=1)
    # The date of the last signature, which put the agreement in force (IND-8).
    signed_at = models.DateTimeField(_("вступил в силу"), null=True, blank=True)
    terminated_on = models.DateField(_("дата расторжения"), null=True, blank=True)
    termination_reason = models.TextField(_("причина расторжения"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто создал"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("создан"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменён"), auto_now=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("договор о сотрудничестве")
        verbose_name_plural = _("договоры о сотрудничестве")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="agreement_term_order"
            ),
            models.CheckConstraint(
                condition=~Q(state="terminated") | ~Q(termination_reason=""),
                name="agreement_termination_has_reason",
            ),
        ]

    def __str__(self):
        return f"№ {self.number}: {self.title}"

    def get_absolute_url(self):
        return reverse("agreements:detail", kwargs={"pk": self.pk})

    @property
    def is_editable(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.REVIEW, self.State.PARTLY_SIGNED)

    @property
    def is_in_force(self) -> bool:
        return self.state == self.State.ACTIVE

    def support_kind_labels(self) -> list[str]:
        labels = dict(SupportKind.choices)
        return [str(labels[kind]) for kind in self.support_kinds if kind in labels]


class AgreementParty(models.Model):
    class Role(models.TextChoices):
        LEADER = "leader", _("школа-лидер")
        TARGET = "target", _("школа, получающая поддержку")
        RESOURCE = "resource", _("ресурсный партнёр")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    school = models.ForeignKey(
        School, verbose_name=_("ОО"), on_delete=models.PROTECT, related_name="agreement_parties"
    )
    role = models.CharField(_("роль"), max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = _("сторона договора")
        verbose_name_plural = _("стороны договора")
        ordering = ["role", "school__short_name"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "school"], name="agreement_party_once"),
        ]

    def __str__(self):
        return f"{self.school} ({self.get_role_display()})"


class AgreementVersion(models.Model):
    """One edition of the agreement and its PDF, rendered once and kept: rendering again
    gives other bytes, and the signatures are of this file's SHA-256."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("редакция"))
    pdf = models.FileField(
        _("PDF"), upload_to="agreements/%Y/", blank=True, storage=private_storage
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("редакция договора")
        verbose_name_plural = _("редакции договора")
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="agreement_version_once"),
        ]

    def __str__(self):
        return f"{self.agreement.number}, редакция {self.number}"


class Signature(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatures")
    version = models.ForeignKey(
        AgreementVersion, on_delete=models.CASCADE, related_name="signatures"
    )
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    signer_name = models.CharField(_("кто подписал"), max_length=300)
    signed_at = models.DateTimeField(_("когда"))
    sha256 = models.CharField(_("SHA-256 подписанного PDF"), max_length=64)
    voided_at = models.DateTimeField(_("аннулирована"), null=True, blank=True)

    class Meta:
        verbose_name = _("подпись")
        verbose_name_plural = _("подписи")
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "school"],
                condition=Q(voided_at__isnull=True),
                name="signature_once_per_version",
            ),
        ]

    def __str__(self):
        return f"{self.school}: {self.signer_name}, {self.signed_at:%d.%m.%Y %H:%M}"


class PlanItem(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("запланировано")
        IN_PROGRESS = "in_progress", _("выполняется")
        DONE = "done", _("выполнено")
        CANCELLED = "cancelled", _("отменено")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="plan")
    action = models.CharField(_("мероприятие"), max_length=500)
    start_date = models.DateField(_("начало"))
    end_date = models.DateField(_("срок"))
    responsible = models.CharField(_("ответственный"), max_length=300)
    expected_result = models.CharField(_("ожидаемый результат"), max_length=500, blank=True)
    status = models.CharField(
        _("статус"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("пункт плана")
        verbose_name_plural = _("план совместных мероприятий")
        ordering = ["start_date", "sort_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="plan_item_dates_order"
            ),
        ]

    def __str__(self):
        return self.action


class AgreementDocument(models.Model):
    """A document attached to the agreement: an order, a scan of the paper copy, an annex.
    Not part of the signed PDF, so attaching one does not void signatures."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("название"), max_length=300)
    file = models.FileField(
        _("файл"), upload_to="agreements/documents/%Y/", storage=private_storage
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("документ договора")
        verbose_name_plural = _("документы договора")
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.title


class Report(models.Model):
    """What was done on a plan item, with the evidence."""

    plan_item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="reports")
    date = models.DateField(_("дата"))
    done = models.TextField(_("что сделано"))
    evidence = models.TextField(_("подтверждение (ссылки, документы)"), blank=True)
    attachment = models.FileField(
        _("файл"), upload_to="agreements/reports/%Y/", blank=True, storage=private_storage
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("отчёт о совместной деятельности")
        verbose_name_plural = _("отчёты о совместной деятельности")
        ordering = ["-date", "-created_at"]

    def __str__(self):
        return f"{self.plan_item}: {self.date:%d.%m.%Y}"


class PartnerRequest(models.Model):
    """A ШНОР/ШНСУ head asks a leader school for partnership; accepted, it becomes a draft."""

    class State(models.TextChoices):
        SENT = "sent", _("отправлен")
        ACCEPTED = "accepted", _("принят")
        DECLINED = "declined", _("отклонён")

    from_school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    to_school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    subjects = models.ManyToManyField(Subject, blank=True, related_name="+")
    message = models.TextField(_("сообщение"), blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.SENT)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_comment = models.TextField(_("комментарий"), blank=True)
    agreement = models.ForeignKey(
        Agreement, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("запрос о партнёрстве")
        verbose_name_plural = _("запросы о партнёрстве")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_school=F("to_school")), name="partner_request_not_self"
            ),
            models.UniqueConstraint(
                fields=["from_school", "to_school"],
                condition=Q(state="sent"),
                name="partner_request_one_open",
            ),
        ]


# Labels are plain strings: the admin help is built when the module loads.
PLACEHOLDERS = {
    "{номер}": "номер договора",
    "{дата}": "дата редакции",
    "{предмет}": "предмет договора",
    "{цель}": "цель",
    "{стороны}": "стороны с ролями",
    "{виды_поддержки}": "виды поддержки",
    "{предметы}": "учебные предметы",
    "{срок}": "срок действия",
    "{план}": "план совместных мероприятий (таблица)",
}

DEFAULT_TEMPLATE = """ДОГОВОР О СЕТЕВОМ ВЗАИМОДЕЙСТВИИ И СОТРУДНИЧЕСТВЕ № {номер}

{дата}

Стороны: {стороны} — заключили настоящий договор о нижеследующем.

1. Предмет договора
{предмет}. {цель}

2. Виды поддержки
Школа-лидер оказывает поддержку следующих видов: {виды_поддержки}. Предметы: {предметы}.

3. Срок действия
Договор действует {срок}.

4. Обязанности сторон
Стороны совместно выполняют план совместных мероприятий, назначают ответственных, ежеквартально \
отчитываются о совместной деятельности на портале сетевого взаимодействия.

5. План совместных мероприятий
{план}
"""


@register_setting(icon="doc-full")
class AgreementTemplate(BaseGenericSetting):
    """The text the agreements' PDFs are rendered from."""

    body = models.TextField(
        _("текст договора"),
        default=DEFAULT_TEMPLATE,
        help_text=_("Поля в фигурных скобках заменяются данными договора."),
    )

    panels = [
        HelpPanel(
            content="<p>"
            + "<br>".join(f"<code>{key}</code> — {label}" for key, label in PLACEHOLDERS.items())
            + "</p>",
            heading=_("Подстановки"),
        ),
        FieldPanel("body"),
    ]

    class Meta:
        verbose_name = _("шаблон договора")
