from django.conf import settings
from django.urls import include, path
from django.views.generic import TemplateView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from portal import views
from portal.sitemaps import SchoolSitemap

sitemaps = {"pages": WagtailSitemap, "schools": SchoolSitemap}

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("", include("practices.urls")),
    path("", include("monitoring.urls")),
    path("agreements/", include("agreements.urls")),
    path("communities/", include("communities.urls")),
    path("cabinet/", views.cabinet, name="cabinet"),
    path("cabinet/profile/", views.profile_edit, name="profile_edit"),
    path("cabinet/membership/", views.membership_decision, name="membership_decision"),
    path("schools/", views.school_list, name="school_list"),
    path("schools/<str:code>/", views.school_detail, name="school_detail"),
    path("schools/<str:code>/edit/", views.school_edit, name="school_edit"),
    path("search/", views.search, name="search"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
    urlpatterns += [
        path("404/", TemplateView.as_view(template_name="404.html")),
        path("500/", TemplateView.as_view(template_name="500.html")),
    ]

urlpatterns += [path("", include(wagtail_urls))]
