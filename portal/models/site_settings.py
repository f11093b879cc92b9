"""Site-wide settings editors change in the admin: the department's details, the main menu
and the footer."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable


@register_setting(icon="site")
class PortalSettings(BaseSiteSetting):
    department_name = models.CharField(
        _("название управления"),
        max_length=300,
        default="Управление образования",
    )
    municipality = models.CharField(_("муниципалитет"), max_length=300, blank=True)
    portal_name = models.CharField(
        _("название портала"),
        max_length=300,
        default="Портал сетевого взаимодействия и партнёрства школ",
    )
    methodological_centre = models.CharField(_("методический центр"), max_length=300, blank=True)
    address = models.CharField(_("адрес"), max_length=300, blank=True)
    phone = models.CharField(_("телефон"), max_length=60, blank=True)
    email = models.EmailField(_("электронная почта"), blank=True)
    working_hours = models.CharField(_("часы работы"), max_length=200, blank=True)
    footer_note = models.TextField(_("текст в подвале"), blank=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("portal_name"), FieldPanel("department_name"), FieldPanel("municipality")],
            heading=_("Название"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("methodological_centre"),
                FieldPanel("address"),
                FieldPanel("phone"),
                FieldPanel("email"),
                FieldPanel("working_hours"),
            ],
            heading=_("Контакты"),
        ),
        FieldPanel("footer_note"),
    ]

    class Meta:
        verbose_name = _("настройки портала")


class LinkFields(models.Model):
    """A link to a page of the site or to any URL, with its own title."""

    title = models.CharField(_("название"), max_length=100)
    link_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("страница"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    link_url = models.CharField(
        _("или адрес"), max_length=300, blank=True, help_text=_("Например, /schools/")
    )

    panels = [FieldPanel("title"), PageChooserPanel("link_page"), FieldPanel("link_url")]

    class Meta:
        abstract = True

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if not self.link_page and not self.link_url:
            raise ValidationError(_("Выберите страницу или укажите адрес."))

    @property
    def url(self) -> str:
        if self.link_page_id:
            return self.link_page.url or "#"
        return self.link_url


@register_setting(icon="list-ul")
class NavigationSettings(ClusterableModel, BaseSiteSetting):
    panels = [
        InlinePanel("menu_items", label=_("Пункт меню"), heading=_("Главное меню")),
        InlinePanel("footer_links", label=_("Ссылка"), heading=_("Ссылки в подвале")),
    ]

    class Meta:
        verbose_name = _("меню и подвал")


class MenuItem(LinkFields, Orderable):
    setting = ParentalKey(NavigationSettings, related_name="menu_items", on_delete=models.CASCADE)

    class Meta(Orderable.Meta):
        verbose_name = _("пункт меню")


class FooterLink(LinkFields, Orderable):
    setting = ParentalKey(NavigationSettings, related_name="footer_links", on_delete=models.CASCADE)

    class Meta(Orderable.Meta):
        verbose_name = _("ссылка в подвале")
