from django.contrib.sitemaps import Sitemap

from portal.models import School


class SchoolSitemap(Sitemap):
    """The public pages of the school registry, which live outside Wagtail's page tree."""

    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return School.objects.order_by("code")

    def lastmod(self, school):
        return school.updated_at
