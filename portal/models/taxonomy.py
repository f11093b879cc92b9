"""Vocabularies shared by the apps (a practice, a community and an agreement all name
school subjects)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class Subject(index.Indexed, models.Model):
    name = models.CharField(_("название"), max_length=100, unique=True)
    slug = models.SlugField(_("код для адресов"), max_length=100, unique=True, allow_unicode=False)
    sort_order = models.PositiveSmallIntegerField(_("порядок"), default=100)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("предмет")
        verbose_name_plural = _("предметы")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name
