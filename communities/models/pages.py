from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from portal.blocks import BaseStreamBlock

# The first segments of communities/urls.py: a community page with one of these slugs would
# be shadowed by the views mounted before Wagtail's pages.
RESERVED_SLUGS = {"events", "c", "topics", "posts", "pairs"}


class CommunityKind(models.TextChoices):
    ASSOCIATION = "mo", _("методическое объединение")
    NETWORK = "network", _("сетевое сообщество")
    GROUP = "group", _("проблемная (творческая) группа")
    COUNCIL = "council", _("экспертный совет")


class JoinPolicy(models.TextChoices):
    OPEN = "open", _("свободное вступление")
    REQUEST = "request", _("по заявке, с одобрения координатора")


class CommunityIndexPage(Page):
    """/communities/: the list of communities; its children are the communities."""

    intro = models.TextField(_("вводный текст"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["communities.CommunityPage"]
    max_count = 1
    template = "communities/community_index_page.html"

    class Meta:
        verbose_name = _("раздел сообществ")
        verbose_name_plural = _("разделы сообществ")

    def get_context(self, request, *args, **kwargs):
        from ..selectors import community_cards

        context = super().get_context(request, *args, **kwargs)
        kind = request.GET.get("kind", "")
        if kind not in CommunityKind.values:
            kind = ""
        context["kind"] = kind
        context["kinds"] = CommunityKind.choices
        context["cards"] = community_cards(self, kind=kind)
        return context


class CommunityPage(Page):
    """A methodological association, network community, problem group or expert council.
    The public sees the description, the coordinator and the upcoming events; members and
    methodologists see the members, discussions and materials (selectors.community_view)."""

    kind = models.CharField(_("вид"), max_length=16, choices=CommunityKind.choices)
    subject = models.ForeignKey(
        "portal.Subject",
        verbose_name=_("предмет"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    topic = models.CharField(_("тема"), max_length=300, blank=True)
    summary = models.TextField(_("кратко"), max_length=600, blank=True)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("координатор"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coordinated_communities",
    )
    join_policy = models.CharField(
        _("вступление"), max_length=16, choices=JoinPolicy.choices, default=JoinPolicy.OPEN
    )
    description = StreamField(BaseStreamBlock(), verbose_name=_("описание"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldPanel("subject"),
                FieldPanel("topic"),
                FieldPanel("coordinator"),
                FieldPanel("join_policy"),
            ],
            heading=_("Сообщество"),
        ),
        FieldPanel("summary"),
        FieldPanel("description"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("topic"),
        index.SearchField("description"),
    ]
    parent_page_types = ["communities.CommunityIndexPage"]
    subpage_types: list[str] = []
    template = "communities/community_page.html"

    class Meta:
        verbose_name = _("сообщество")
        verbose_name_plural = _("сообщества")

    def clean(self):
        super().clean()
        if self.slug in RESERVED_SLUGS:
            raise ValidationError(
                {"slug": _("Этот адрес занят разделами сообществ: выберите другой.")}
            )

    @property
    def theme(self) -> str:
        return self.subject.name if self.subject_id else self.topic

    def get_context(self, request, *args, **kwargs):
        from ..selectors import community_view

        context = super().get_context(request, *args, **kwargs)
        context.update(community_view(self, request.user, query=request.GET.get("q", "")))
        return context
