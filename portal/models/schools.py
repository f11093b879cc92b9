from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index

# Years a status or a fact may be recorded for; the same bounds guard the imports.
MIN_YEAR = 2000
MAX_YEAR = 2100


class SchoolQuerySet(models.QuerySet):
    def with_status(self, year: int):
        """Annotate each school with its confirmed status code for the year ('' for none)."""
        status = SchoolStatus.objects.filter(
            school=models.OuterRef("pk"), year=year, confirmed=True
        )
        return self.annotate(
            year_status=models.functions.Coalesce(
                models.Subquery(status.values("status")[:1]), models.Value("")
            )
        )

    def districts(self) -> list[str]:
        return list(
            self.exclude(district="")
            .order_by("district")
            .values_list("district", flat=True)
            .distinct()
        )


class School(index.Indexed, models.Model):
    """An educational organisation (ОО), identified by its code."""

    code = models.CharField(_("код ОО"), max_length=32, unique=True)
    name = models.CharField(_("полное наименование"), max_length=500)
    short_name = models.CharField(_("краткое наименование"), max_length=200)
    # Free text as the registries write it («СОШ», «Гимназия», «Лицей», «ООШ»…): imports keep
    # whatever the department's files say rather than forcing a fixed list.
    kind = models.CharField(_("тип"), max_length=100, blank=True)
    district = models.CharField(_("район"), max_length=120, blank=True)
    address = models.CharField(_("адрес"), max_length=300, blank=True)
    head = models.CharField(_("руководитель"), max_length=200, blank=True)
    email = models.EmailField(_("электронная почта"), blank=True)
    phone = models.CharField(_("телефон"), max_length=60, blank=True)
    website = models.URLField(_("сайт"), blank=True)
    description = models.TextField(_("о школе"), blank=True)
    # Lower-cased names, code and address: SQLite's LIKE folds the case of Latin letters
    # only, so the directory searches this field with a lower-cased query instead.
    search_text = models.TextField(editable=False, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SchoolQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("kind")]),
        FieldPanel("name"),
        FieldPanel("short_name"),
        MultiFieldPanel(
            [
                FieldPanel("district"),
                FieldPanel("address"),
                FieldPanel("head"),
                FieldRowPanel([FieldPanel("email"), FieldPanel("phone")]),
                FieldPanel("website"),
            ],
            heading=_("Контакты"),
        ),
        FieldPanel("description"),
    ]

    search_fields = [
        index.SearchField("short_name", boost=3),
        index.SearchField("name"),
        index.SearchField("district"),
        index.SearchField("address"),
        index.AutocompleteField("short_name"),
        index.FilterField("district"),
        index.FilterField("code"),
    ]

    class Meta:
        verbose_name = _("образовательная организация")
        verbose_name_plural = _("образовательные организации")
        ordering = ["short_name"]
        constraints = [
            models.CheckConstraint(condition=~Q(code=""), name="school_code_not_empty"),
        ]

    def __str__(self):
        return self.short_name or self.name

    def save(self, *args, **kwargs):
        self.search_text = " ".join(
            part
            for part in (self.code, self.short_name, self.name, self.district, self.address)
            if part
        ).casefold()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("school_detail", kwargs={"code": self.code})

    def status_for(self, year: int):
        """The confirmed status of the year, or None."""
        return self.statuses.filter(year=year, confirmed=True).first()


class Status(models.TextChoices):
    """A school's yearly status. NONE is recorded too: 'no status this year' is a fact."""

    SHNOR = "ШНОР", _("ШНОР")
    SHNSU = "ШНСУ", _("ШНСУ")
    LEADER = "лидер", _("Школа-лидер")
    NONE = "", _("Без статуса")


TARGET_STATUSES = (Status.SHNOR, Status.SHNSU)


class SchoolStatusQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed=True)

    def targets(self, year: int):
        """Confirmed ШНОР/ШНСУ statuses of the year: the set S(Y) of domain.md."""
        return self.confirmed().filter(year=year, status__in=TARGET_STATUSES)


class SchoolStatus(models.Model):
    """The status of a school in a year, with its basis (e.g. «по данным Рособрнадзора»)."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("Указан методистом")
        IMPORT = "import", _("Импорт")
        SCREENING = "screening", _("Скрининг")

    school = models.ForeignKey(
        School, verbose_name=_("ОО"), on_delete=models.CASCADE, related_name="statuses"
    )
    year = models.PositiveSmallIntegerField(
        _("год"), validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]
    )
    status = models.CharField(_("статус"), max_length=8, choices=Status.choices, blank=True)
    basis = models.CharField(_("основание"), max_length=500, blank=True)
    # Only a confirmed status counts in S(Y); screening proposes unconfirmed ones.
    confirmed = models.BooleanField(_("подтверждён"), default=True)
    source = models.CharField(
        _("источник"), max_length=16, choices=Source.choices, default=Source.MANUAL
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кем установлен"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("изменён"), auto_now=True)

    objects = SchoolStatusQuerySet.as_manager()

    panels = [
        FieldPanel("school"),
        FieldRowPanel([FieldPanel("year"), FieldPanel("status")]),
        FieldPanel("basis"),
        FieldPanel("confirmed"),
    ]

    class Meta:
        verbose_name = _("статус ОО")
        verbose_name_plural = _("статусы ОО")
        ordering = ["-year", "school__short_name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year"], name="school_status_unique_year"),
            models.CheckConstraint(
                condition=Q(year__gte=MIN_YEAR) & Q(year__lte=MAX_YEAR),
                name="school_status_year_range",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[choice.value for choice in Status]),
                name="school_status_known",
            ),
        ]

    def __str__(self):
        return f"{self.school} — {self.year}: {self.get_status_display()}"

    @property
    def css_modifier(self) -> str:
        return {"ШНОР": "shnor", "ШНСУ": "shnsu", "лидер": "leader"}.get(self.status, "none")
