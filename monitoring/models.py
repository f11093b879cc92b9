"""Monitoring facts (results, staff lists, diagnostics, support), the schools' programmes and
context indices, indicator targets, screening thresholds, recommendations and the import log.

Teachers' names and diagnostics are personal data: only the teacher, the head of the
teacher's school and methodologists see them (see `monitoring.access`).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from portal.blocks import BaseStreamBlock
from portal.models import School
from portal.models.schools import MAX_YEAR, MIN_YEAR

YEAR_VALIDATORS = [MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]


def subject_key(name: str) -> str:
    """Subject names match ignoring case and surrounding spaces (domain.md)."""
    return " ".join((name or "").split()).casefold()


RUSSIAN = subject_key("Русский язык")
MATHEMATICS = subject_key("Математика")
CORE_SUBJECTS = (RUSSIAN, MATHEMATICS)


INDICATOR_CODES = [(f"IND-{n}", f"IND-{n}") for n in range(1, 10)]


class Procedure(models.TextChoices):
    EGE = "ЕГЭ", "ЕГЭ"
    OGE = "ОГЭ", "ОГЭ"
    GVE = "ГВЭ", "ГВЭ"
    VPR = "ВПР", "ВПР"


class Teacher(models.Model):
    """A teacher as the staff lists know them, by the department's teacher code."""

    code = models.CharField(_("код педагога"), max_length=64, unique=True)
    full_name = models.CharField(_("ФИО"), max_length=300)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("учётная запись на портале"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="teacher_record",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [FieldPanel("code"), FieldPanel("full_name"), FieldPanel("user")]

    class Meta:
        verbose_name = _("педагог")
        verbose_name_plural = _("педагоги")
        ordering = ["full_name"]
        constraints = [models.CheckConstraint(condition=~Q(code=""), name="teacher_code_not_empty")]

    def __str__(self):
        return f"{self.full_name} ({self.code})"


class StaffEntry(models.Model):
    """A line of a school's staff list for a year."""

    school = models.ForeignKey(
        School, verbose_name=_("ОО"), on_delete=models.CASCADE, related_name="staff_entries"
    )
    year = models.PositiveSmallIntegerField(_("год"), validators=YEAR_VALIDATORS)
    teacher = models.ForeignKey(
        Teacher, verbose_name=_("педагог"), on_delete=models.CASCADE, related_name="staff_entries"
    )
    position = models.CharField(_("должность"), max_length=200, blank=True)
    subjects = models.CharField(_("предметы"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("строка штатного списка")
        verbose_name_plural = _("штатные списки")
        ordering = ["-year", "school__short_name", "teacher__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "year", "teacher"], name="staff_entry_unique"
            ),
        ]

    def __str__(self):
        return f"{self.school} {self.year}: {self.teacher}"

    @property
    def subject_list(self) -> list[str]:
        return [part.strip() for part in self.subjects.split(";") if part.strip()]


class AssessmentResult(models.Model):
    """Results of one procedure in one subject and grade of a school in a year."""

    school = models.ForeignKey(
        School, verbose_name=_("ОО"), on_delete=models.CASCADE, related_name="results"
    )
    year = models.PositiveSmallIntegerField(_("год"), validators=YEAR_VALIDATORS)
    procedure = models.CharField(_("процедура"), max_length=3, choices=Procedure.choices)
    subject = models.CharField(_("предмет"), max_length=200)
    subject_key = models.CharField(max_length=200, editable=False)
    # 0 when the file leaves the grade empty.
    grade = models.PositiveSmallIntegerField(
        _("класс"), default=0, validators=[MaxValueValidator(11)]
    )
    participants = models.PositiveIntegerField(_("участников"))
    failed = models.PositiveIntegerField(_("неудовлетворительно"))
    high = models.PositiveIntegerField(_("высокий результат"))

    class Meta:
        verbose_name = _("результат оценочной процедуры")
        verbose_name_plural = _("результаты оценочных процедур")
        ordering = ["-year", "school__short_name", "procedure", "subject", "grade"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "year", "procedure", "subject_key", "grade"],
                name="assessment_result_unique",
            ),
            models.CheckConstraint(
                condition=Q(failed__lte=F("participants")), name="result_failed_le_participants"
            ),
            models.CheckConstraint(
                condition=Q(high__lte=F("participants")), name="result_high_le_participants"
            ),
        ]
        indexes = [models.Index(fields=["year", "school"], name="result_year_school")]

    def __str__(self):
        return f"{self.school} {self.year} {self.procedure} {self.subject} {self.grade}"

    def save(self, *args, **kwargs):
        self.subject_key = subject_key(self.subject)
        super().save(*args, **kwargs)


class DiagnosticKind(models.TextChoices):
    SUBJECT = "предметная", _("предметная")
    METHODOLOGICAL = "методическая", _("методическая")


class Diagnostic(models.Model):
    """An assessment of a teacher's competence: a score and the deficits it found."""

    teacher = models.ForeignKey(
        Teacher, verbose_name=_("педагог"), on_delete=models.CASCADE, related_name="diagnostics"
    )
    date = models.DateField(_("дата"))
    kind = models.CharField(_("вид"), max_length=16, choices=DiagnosticKind.choices)
    subject = models.CharField(_("предмет"), max_length=200, blank=True)
    subject_key = models.CharField(max_length=200, editable=False, blank=True)
    score = models.DecimalField(
        _("балл"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    deficits = models.JSONField(_("дефициты"), default=list, blank=True)

    class Meta:
        verbose_name = _("диагностика педагога")
        verbose_name_plural = _("диагностики педагогов")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["teacher", "date", "kind", "subject_key"], name="diagnostic_unique"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=100), name="diagnostic_score_range"
            ),
        ]

    def __str__(self):
        return f"{self.teacher} {self.date} {self.kind} {self.subject}"

    def save(self, *args, **kwargs):
        self.subject_key = subject_key(self.subject)
        super().save(*args, **kwargs)


class SupportForm(models.TextChoices):
    ASSOCIATION = "МО", _("МО")
    SEMINAR = "семинар", _("семинар")
    COURSE = "курсы", _("курсы")
    CONSULTATION = "консультация", _("консультация")
    MENTORING = "наставничество", _("наставничество")


class SupportRecord(models.Model):
    """Methodological support a teacher received: imported, or recorded by the portal itself
    (attendance of a community event, an active mentoring pair)."""

    class Source(models.TextChoices):
        IMPORT = "import", _("импорт")
        EVENT = "event", _("мероприятие сообщества")
        MENTORING = "mentoring", _("наставничество на портале")

    teacher = models.ForeignKey(
        Teacher, verbose_name=_("педагог"), on_delete=models.CASCADE, related_name="support"
    )
    date = models.DateField(_("дата"))
    form = models.CharField(_("форма"), max_length=16, choices=SupportForm.choices)
    title = models.CharField(_("тема"), max_length=500, blank=True)
    provider = models.CharField(_("организатор"), max_length=300, blank=True)
    source = models.CharField(
        _("источник"), max_length=16, choices=Source.choices, default=Source.IMPORT
    )
    # What the portal recorded it from, e.g. "event:12:user:5"; empty for imports.
    source_ref = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("запись о сопровождении")
        verbose_name_plural = _("методическое сопровождение")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["teacher", "date", "form", "title"],
                condition=Q(source="import"),
                name="support_import_unique",
            ),
            models.UniqueConstraint(
                fields=["source_ref"], condition=~Q(source_ref=""), name="support_ref_unique"
            ),
        ]
        indexes = [models.Index(fields=["date", "teacher"], name="support_date_teacher")]

    def __str__(self):
        return f"{self.teacher} {self.date} {self.get_form_display()}"


class SchoolContext(models.Model):
    """A school's context indices for a year (index of objectivity, of social well-being)."""

    school = models.ForeignKey(
        School, verbose_name=_("ОО"), on_delete=models.CASCADE, related_name="context"
    )
    year = models.PositiveSmallIntegerField(_("год"), validators=YEAR_VALIDATORS)
    objectivity = models.DecimalField(
        _("индекс объективности"), max_digits=6, decimal_places=3, null=True, blank=True
    )
    social_wellbeing = models.DecimalField(
        _("индекс социального благополучия"), max_digits=6, decimal_places=3, null=True, blank=True
    )

    panels = [
        FieldPanel("school"),
        FieldPanel("year"),
        FieldRowPanel([FieldPanel("objectivity"), FieldPanel("social_wellbeing")]),
    ]

    class Meta:
        verbose_name = _("индексы контекста ОО")
        verbose_name_plural = _("индексы контекста ОО")
        ordering = ["-year", "school__short_name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year"], name="school_context_unique"),
        ]

    def __str__(self):
        return f"{self.school} {self.year}"


class ImprovementProgramme(models.Model):
    """A school's programme of raising the quality of education (its roadmap)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("проект")
        REVIEW = "review", _("на согласовании")
        APPROVED = "approved", _("утверждена")

    school = models.ForeignKey(
        School, verbose_name=_("ОО"), on_delete=models.CASCADE, related_name="programmes"
    )
    title = models.CharField(
        _("название"), max_length=300, default="Программа повышения качества образования"
    )
    start_year = models.PositiveSmallIntegerField(_("начало периода"), validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(_("окончание периода"), validators=YEAR_VALIDATORS)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("документ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    measures = models.TextField(_("основные мероприятия"), blank=True)
    state = models.CharField(_("статус"), max_length=16, choices=State.choices, default=State.DRAFT)
    approved_at = models.DateField(_("дата утверждения"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("school"),
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("start_year"), FieldPanel("end_year")]),
        FieldPanel("document"),
        FieldPanel("measures"),
        FieldRowPanel([FieldPanel("state"), FieldPanel("approved_at")]),
    ]

    class Meta:
        verbose_name = _("программа повышения качества образования")
        verbose_name_plural = _("программы повышения качества образования")
        ordering = ["school__short_name", "-start_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")), name="programme_period_order"
            ),
        ]

    def __str__(self):
        return f"{self.title}: {self.school} ({self.start_year}–{self.end_year})"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError(
                {"end_year": _("Окончание периода не может быть раньше его начала.")}
            )


class IndicatorTarget(models.Model):
    """A yearly target of an indicator set by a methodologist; replaces the default."""

    code = models.CharField(_("показатель"), max_length=8, choices=INDICATOR_CODES)
    year = models.PositiveSmallIntegerField(_("год"), validators=YEAR_VALIDATORS)
    # A share from 0 to 1, or a count for IND-8.
    value = models.DecimalField(
        _("целевое значение"),
        max_digits=8,
        decimal_places=4,
        validators=[MinValueValidator(Decimal(0))],
    )

    class Meta:
        verbose_name = _("целевое значение показателя")
        verbose_name_plural = _("целевые значения показателей")
        ordering = ["code", "year"]
        constraints = [
            models.UniqueConstraint(fields=["code", "year"], name="indicator_target_unique"),
        ]

    def __str__(self):
        return f"{self.code} {self.year}: {self.value}"


@register_setting(icon="search")
class ScreeningSettings(BaseGenericSetting):
    """Thresholds of the screening rule (domain.md), in percent."""

    failing_core_min = models.DecimalField(
        _("доля «2» по русскому языку и математике, не ниже (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(15),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    high_core_max = models.DecimalField(
        _("доля высоких результатов по русскому языку и математике, не выше (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(5),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    failing_other_min = models.DecimalField(
        _("доля «2» по остальным предметам, не ниже (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(20),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("failing_core_min"),
                FieldPanel("high_core_max"),
                FieldPanel("failing_other_min"),
            ],
            heading=_("Пороги отбора ШНОР"),
            help_text=_(
                "Школа отмечается, если доля «2» по русскому языку и математике не ниже первого "
                "порога и доля высоких результатов не выше второго, или если доля «2» по "
                "остальным предметам не ниже третьего (за два года: предыдущий и отчётный)."
            ),
        )
    ]

    class Meta:
        verbose_name = _("пороги скрининга")


class Recommendation(models.Model):
    """An addressed recommendation written by a methodologist from an analysis."""

    class Addressee(models.TextChoices):
        STUDENTS = "students", _("обучающимся")
        PARENTS = "parents", _("родителям")
        TEACHERS = "teachers", _("педагогам")
        SCHOOL = "school", _("администрации ОО")
        CENTRE = "centre", _("методическому центру")
        PSYCHOLOGISTS = "psychologists", _("психологической службе")
        DEPARTMENT = "department", _("управлению образования")

    class Basis(models.TextChoices):
        INDICATOR = "indicator", _("показатель")
        SCREENING = "screening", _("скрининг ШНОР")
        RESULTS = "results", _("результаты оценочных процедур")
        DIAGNOSTICS = "diagnostics", _("диагностика педагогов")
        EFFECTIVENESS = "effectiveness", _("анализ эффективности мер")

    addressee = models.CharField(_("адресат"), max_length=16, choices=Addressee.choices)
    school = models.ForeignKey(
        School,
        verbose_name=_("ОО"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="recommendations",
        help_text=_("Пусто — рекомендация для всей муниципальной системы."),
    )
    year = models.PositiveSmallIntegerField(_("год анализа"), validators=YEAR_VALIDATORS)
    basis = models.CharField(_("основание"), max_length=16, choices=Basis.choices)
    indicator = models.CharField(_("показатель"), max_length=8, blank=True)
    finding = models.TextField(_("что показал анализ"))
    text = models.TextField(_("рекомендация"))
    due_date = models.DateField(_("срок"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("автор"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("создана"), auto_now_add=True)
    acknowledged_at = models.DateTimeField(_("принята к сведению"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кем принята"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    response = models.TextField(_("ответ ОО"), blank=True)

    class Meta:
        verbose_name = _("адресная рекомендация")
        verbose_name_plural = _("адресные рекомендации")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_addressee_display()}: {self.text[:60]}"


class ImportBatch(models.Model):
    """One applied import: who, when, which file, the counts, and what rolls it back."""

    class State(models.TextChoices):
        APPLIED = "applied", _("применён")
        ROLLED_BACK = "rolled_back", _("отменён")

    kind = models.CharField(_("вид данных"), max_length=16)
    filename = models.CharField(_("файл"), max_length=255)
    sha256 = models.CharField(_("SHA-256 файла"), max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто загрузил"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("когда"), auto_now_add=True)
    rows = models.PositiveIntegerField(_("строк"), default=0)
    added = models.PositiveIntegerField(_("добавлено"), default=0)
    updated = models.PositiveIntegerField(_("обновлено"), default=0)
    state = models.CharField(
        _("состояние"), max_length=16, choices=State.choices, default=State.APPLIED
    )
    rolled_back_at = models.DateTimeField(_("когда отменён"), null=True, blank=True)
    rolled_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кем отменён"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # {"added": [key, …], "updated": [{"key": key, "before": {field: value}}, …]}
    undo = models.JSONField(default=dict, editable=False)

    class Meta:
        verbose_name = _("импорт данных")
        verbose_name_plural = _("журнал импорта")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["kind", "sha256"], name="import_kind_hash")]

    def __str__(self):
        return f"{self.kind}: {self.filename} ({self.created_at:%d.%m.%Y %H:%M})"


class IndicatorPage(Page):
    """A published indicator: its value against the target for each year, the methodology,
    the trend and, for those allowed, the breakdown by school. Editors place it in the tree
    and write the commentary; the figures come from the data."""

    indicator = models.CharField(_("показатель"), max_length=8, choices=INDICATOR_CODES)
    intro = models.TextField(_("вводный текст"), blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("комментарий и анализ"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("indicator"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    template = "monitoring/indicator_page.html"

    class Meta:
        verbose_name = _("страница показателя")
        verbose_name_plural = _("страницы показателей")
