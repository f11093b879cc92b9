"""The public site's pages: home, standard pages, news, events, documents and contacts.

Page models stay thin: they declare content and panels; listings use named queryset
methods so that views and template tags ask for data the same way.
"""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from portal.blocks import BaseStreamBlock

PAGE_SIZE = 10


def paginate(request, queryset, per_page=PAGE_SIZE):
    """A page of results; an invalid page number falls back to the nearest valid page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


class IntroMixin(models.Model):
    intro = models.TextField(
        _("вводный текст"), blank=True, help_text=_("Кратко: для списков и поисковиков")
    )

    class Meta:
        abstract = True


class HomePage(Page):
    hero_title = models.CharField(_("заголовок"), max_length=255)
    hero_text = models.TextField(_("текст под заголовком"), blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("содержание"), blank=True)

    content_panels = [
        FieldPanel("title"),
        MultiFieldPanel([FieldPanel("hero_title"), FieldPanel("hero_text")], heading=_("Шапка")),
        FieldPanel("body"),
    ]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("главная страница")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_news"] = NewsPage.objects.live().public().order_by("-date")[:3]
        context["upcoming_events"] = EventPage.objects.live().public().upcoming()[:3]
        return context


class StandardPage(IntroMixin, Page):
    body = StreamField(BaseStreamBlock(), verbose_name=_("содержание"), blank=True)
    show_toc = models.BooleanField(_("показывать оглавление"), default=True)

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    settings_panels = Page.settings_panels + [FieldPanel("show_toc")]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    class Meta:
        verbose_name = _("текстовая страница")
        verbose_name_plural = _("текстовые страницы")

    @property
    def toc(self):
        """(anchor, text) for every H2 heading block, for the page's table of contents."""
        return [
            (f"section-{block.id}", block.value["text"])
            for block in self.body
            if block.block_type == "heading" and block.value["level"] == "h2"
        ]


class NewsIndexPage(IntroMixin, Page):
    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["portal.NewsPage"]
    max_count = 1

    class Meta:
        verbose_name = _("лента новостей")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        news = NewsPage.objects.live().public().child_of(self).order_by("-date", "-pk")
        tag = request.GET.get("tag", "").replace("\x00", "").strip()
        if tag:
            news = news.filter(tags__name=tag)
        context["tag"] = tag
        context["news_page"] = paginate(request, news.prefetch_related("tags"))
        return context


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "portal.NewsPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class NewsPage(IntroMixin, Page):
    date = models.DateField(_("дата публикации"), default=timezone.localdate)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("изображение"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("текст новости"), blank=True)
    tags = ClusterTaggableManager(through=NewsPageTag, blank=True, verbose_name=_("теги"))

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("date"), FieldPanel("image")]),
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    parent_page_types = ["portal.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("новость")
        verbose_name_plural = _("новости")


class EventIndexPage(IntroMixin, Page):
    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["portal.EventPage"]
    max_count = 1

    class Meta:
        verbose_name = _("календарь событий")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        events = EventPage.objects.live().public().child_of(self)
        show_past = request.GET.get("when") == "past"
        context["show_past"] = show_past
        listing = events.past() if show_past else events.upcoming()
        context["events_page"] = paginate(request, listing)
        return context


class EventFormat(models.TextChoices):
    OFFLINE = "offline", _("Очно")
    ONLINE = "online", _("Онлайн")
    MIXED = "mixed", _("Очно и онлайн")


class EventPageQuerySet(PageQuerySet):
    def _with_finish(self):
        # An event without an end is treated as finishing when it starts.
        return self.annotate(finish=Coalesce("end", "start"))

    def upcoming(self, at=None):
        """Events not yet over, soonest first."""
        return self._with_finish().filter(finish__gte=at or timezone.now()).order_by("start")

    def past(self, at=None):
        """Events already over, latest first."""
        return self._with_finish().filter(finish__lt=at or timezone.now()).order_by("-start")


EventPageManager = PageManager.from_queryset(EventPageQuerySet)


class EventPage(IntroMixin, Page):
    start = models.DateTimeField(_("начало"))
    end = models.DateTimeField(_("окончание"), null=True, blank=True)
    format = models.CharField(
        _("формат"), max_length=10, choices=EventFormat.choices, default=EventFormat.OFFLINE
    )
    place = models.CharField(_("место проведения"), max_length=300, blank=True)
    online_url = models.URLField(_("ссылка для подключения"), blank=True)
    audience = models.CharField(_("участники"), max_length=300, blank=True)
    organizer = models.CharField(_("организатор"), max_length=300, blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("описание"), blank=True)

    objects = EventPageManager()

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
                FieldPanel("format"),
                FieldPanel("place"),
                FieldPanel("online_url"),
            ],
            heading=_("Когда и где"),
        ),
        FieldPanel("audience"),
        FieldPanel("organizer"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
        index.SearchField("place"),
        index.FilterField("start"),
    ]
    parent_page_types = ["portal.EventIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("событие")
        verbose_name_plural = _("события")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="event_ends_after_start",
            ),
        ]

    def clean(self):
        super().clean()
        errors = {}
        if self.end and self.start and self.end < self.start:
            errors["end"] = _("Окончание не может быть раньше начала.")
        if self.format in (EventFormat.ONLINE, EventFormat.MIXED) and not self.online_url:
            errors["online_url"] = _("Для онлайн-события укажите ссылку для подключения.")
        if self.format in (EventFormat.OFFLINE, EventFormat.MIXED) and not self.place:
            errors["place"] = _("Для очного события укажите место проведения.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_past(self) -> bool:
        return (self.end or self.start) < timezone.now()


class DocumentsPage(IntroMixin, Page):
    """Normative acts of the programme: orders, regulations, plans, with their details."""

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        InlinePanel("entries", label=_("Документы"), heading=_("Документы")),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    class Meta:
        verbose_name = _("страница документов")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        entries = self.entries.select_related("document")
        kind = request.GET.get("kind", "")
        kinds = sorted({entry.kind for entry in entries})
        if kind in kinds:
            entries = [entry for entry in entries if entry.kind == kind]
        context.update(document_entries=entries, document_kinds=kinds, selected_kind=kind)
        return context


class DocumentEntry(Orderable):
    page = ParentalKey(DocumentsPage, related_name="entries", on_delete=models.CASCADE)
    title = models.CharField(_("название"), max_length=500)
    kind = models.CharField(
        _("вид документа"), max_length=100, help_text=_("Приказ, положение, план…")
    )
    number = models.CharField(_("номер"), max_length=50, blank=True)
    date = models.DateField(_("дата"), null=True, blank=True)
    issuer = models.CharField(_("кем принят"), max_length=300, blank=True)
    summary = models.TextField(_("краткое содержание"), blank=True)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("файл"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("number"), FieldPanel("date")]),
        FieldPanel("issuer"),
        FieldPanel("summary"),
        FieldPanel("document"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("документ")
        verbose_name_plural = _("документы")


class ContactFormField(AbstractFormField):
    page = ParentalKey("portal.ContactPage", related_name="form_fields", on_delete=models.CASCADE)


class ContactPage(AbstractEmailForm):
    intro = RichTextField(_("вводный текст"), blank=True)
    thank_you_text = RichTextField(_("текст после отправки"), blank=True)

    content_panels = AbstractEmailForm.content_panels + [
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label=_("Поля формы")),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading=_("Письмо"),
        ),
    ]
    max_count = 1

    class Meta:
        verbose_name = _("страница контактов")
