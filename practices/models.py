"""The best-practices bank: a practice is a Wagtail page under the bank's index page."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from portal.models import School, Subject

from .blocks import PracticeStreamBlock
from .morphology import lemmatize


class Problem(models.Model):
    """A problem a practice addresses: the risk factors and measures of the source documents."""

    name = models.CharField(_("название"), max_length=150, unique=True)
    slug = models.SlugField(_("код для адресов"), max_length=150, unique=True)
    description = models.TextField(_("пояснение"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("порядок"), default=100)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        verbose_name = _("проблема")
        verbose_name_plural = _("проблемы")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class GradeLevel(models.Model):
    """A level of general education: НОО (1–4), ООО (5–9), СОО (10–11)."""

    name = models.CharField(_("название"), max_length=100, unique=True)
    slug = models.SlugField(_("код для адресов"), max_length=50, unique=True)
    grades = models.CharField(_("классы"), max_length=20, help_text=_("Например: 5–9"))
    sort_order = models.PositiveSmallIntegerField(_("порядок"), default=100)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("grades"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        verbose_name = _("уровень образования")
        verbose_name_plural = _("уровни образования")
        ordering = ["sort_order"]

    def __str__(self):
        return f"{self.name} ({self.grades} кл.)"


class PracticeFormat(models.TextChoices):
    LESSON = "lesson", _("Урок, серия уроков")
    EXTRACURRICULAR = "extracurricular", _("Внеурочная деятельность")
    METHOD = "method", _("Методика, технология")
    PROGRAMME = "programme", _("Программа, курс")
    MANAGEMENT = "management", _("Управленческое решение")
    EVENT = "event", _("Мероприятие, проект")
    SUPPORT = "support", _("Сопровождение, наставничество")


class EvidenceLevel(models.IntegerChoices):
    DESCRIBED = 1, _("Описана")
    TESTED = 2, _("Апробирована")
    CONFIRMED = 3, _("Подтверждена результатами мониторинга")
    RECOMMENDED = 4, _("Рекомендована экспертным советом")


class PracticeIndexPage(Page):
    """The bank («Банк лучших практик») with its faceted list and search."""

    intro = models.TextField(_("вводный текст"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["practices.PracticePage"]
    max_count = 1

    class Meta:
        verbose_name = _("банк лучших практик")

    def get_context(self, request, *args, **kwargs):
        from .selectors import SORTS, PracticeQuery, search_practices

        context = super().get_context(request, *args, **kwargs)
        query = PracticeQuery.from_querydict(request.GET)
        context.update(bank_query=query, results=search_practices(query), sorts=SORTS)
        return context


class PracticeTag(TaggedItemBase):
    content_object = ParentalKey(
        "practices.PracticePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class PracticePage(Page):
    summary = models.TextField(_("кратко о практике"), max_length=600)
    problems = ParentalManyToManyField(
        Problem, verbose_name=_("проблемы"), related_name="practices"
    )
    subjects = ParentalManyToManyField(
        Subject, verbose_name=_("предметы"), blank=True, related_name="practices"
    )
    grade_levels = ParentalManyToManyField(
        GradeLevel, verbose_name=_("уровни образования"), blank=True, related_name="practices"
    )
    format = models.CharField(_("формат"), max_length=20, choices=PracticeFormat.choices)
    school = models.ForeignKey(
        School,
        verbose_name=_("школа авторов"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practices",
    )
    authors = ParentalManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("авторы"), blank=True, related_name="practices"
    )
    coauthors = models.CharField(
        _("соавторы"),
        max_length=500,
        blank=True,
        help_text=_("ФИО через запятую, если соавторов нет на портале"),
    )
    tags = ClusterTaggableManager(through=PracticeTag, blank=True, verbose_name=_("теги"))
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("обложка"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(PracticeStreamBlock(), verbose_name=_("описание практики"))
    evidence_level = models.PositiveSmallIntegerField(
        _("уровень доказанности"), choices=EvidenceLevel.choices, default=EvidenceLevel.DESCRIBED
    )
    published_on = models.DateField(_("дата публикации"), default=timezone.localdate)
    # Denormalised for sorting and facets that must stay fast at 100 000 practices.
    adoption_count = models.PositiveIntegerField(_("применений"), default=0, editable=False)
    school_status = models.CharField(
        _("статус школы авторов"), max_length=8, blank=True, editable=False
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("problems", widget=forms.CheckboxSelectMultiple),
                FieldPanel("subjects"),
                FieldPanel("grade_levels", widget=forms.CheckboxSelectMultiple),
                FieldRowPanel([FieldPanel("format"), FieldPanel("evidence_level")]),
                FieldPanel("tags"),
            ],
            heading=_("Классификация"),
        ),
        MultiFieldPanel(
            [FieldPanel("school"), FieldPanel("authors"), FieldPanel("coauthors")],
            heading=_("Авторы"),
        ),
        FieldPanel("image"),
        FieldPanel("body"),
        InlinePanel("attachments", label=_("Материалы"), heading=_("Материалы к практике")),
    ]
    promote_panels = Page.promote_panels + [FieldPanel("published_on")]

    # The bank searches lemmas (see practices/morphology.py): the title's with a boost, then
    # everything else a visitor might type.
    search_fields = Page.search_fields + [
        index.SearchField("title_lemmas", boost=3),
        index.SearchField("text_lemmas"),
        index.FilterField("format"),
        index.FilterField("evidence_level"),
        index.FilterField("published_on"),
        index.FilterField("school_status"),
        index.FilterField("adoption_count"),
    ]

    parent_page_types = ["practices.PracticeIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("практика")
        verbose_name_plural = _("практики")
        indexes = [
            models.Index(fields=["published_on"], name="practice_published_on"),
            models.Index(fields=["adoption_count"], name="practice_adoption_count"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(evidence_level__gte=1) & models.Q(evidence_level__lte=4),
                name="practice_evidence_level_range",
            ),
        ]

    def get_context(self, request, *args, **kwargs):
        from .selectors import practice_detail_context

        context = super().get_context(request, *args, **kwargs)
        context.update(practice_detail_context(self, request.user))
        return context

    def title_lemmas(self) -> str:
        return lemmatize(self.title)

    def text_lemmas(self) -> str:
        parts = [self.summary, self.coauthors]
        parts += self.body.stream_block.get_searchable_content(self.body)
        parts += [tag.name for tag in self.tags.all()]
        parts += [problem.name for problem in self.problems.all()]
        parts += [subject.name for subject in self.subjects.all()]
        if self.school_id:
            parts.append(self.school.short_name)
        return lemmatize(" ".join(part for part in parts if part))


class PracticeAttachment(Orderable):
    page = ParentalKey(PracticePage, related_name="attachments", on_delete=models.CASCADE)
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("файл"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("подпись"), max_length=255, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("материал")
        verbose_name_plural = _("материалы")

    def __str__(self):
        return self.title or self.document.title


class Adoption(models.Model):
    """A school applied the practice («Применил(а) в своей школе»)."""

    practice = models.ForeignKey(
        PracticePage, verbose_name=_("практика"), on_delete=models.CASCADE, related_name="adoptions"
    )
    school = models.ForeignKey(
        School, verbose_name=_("школа"), on_delete=models.CASCADE, related_name="adoptions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто отметил"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="adoptions",
    )
    applied_on = models.DateField(_("когда применили"))
    context = models.CharField(
        _("класс и предмет"), max_length=200, help_text=_("Например: 7 «Б», математика")
    )
    outcome = models.TextField(_("что получилось"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("применение практики")
        verbose_name_plural = _("применения практик")
        ordering = ["-applied_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "school"], name="adoption_one_per_school"),
        ]

    def __str__(self):
        return f"{self.school} — {self.practice}"

    def clean(self):
        super().clean()
        if self.applied_on and self.applied_on > timezone.localdate():
            raise ValidationError({"applied_on": _("Дата применения не может быть в будущем.")})


class BankState(models.Model):
    """One row whose token changes whenever the bank does (see practices/facet_index.py)."""

    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("состояние банка практик")

    def __str__(self):
        return self.token
