"""`manage.py load_demo`: runs once per class (setUpTestData), twice, to check idempotency."""

import re
import shutil
import tempfile
from io import StringIO

from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.test import TestCase, override_settings
from wagtail.documents import get_document_model
from wagtail.models import Page, Site

from portal import roles
from portal.models import (
    DocumentEntry,
    EventPage,
    HomePage,
    MembershipState,
    MenuItem,
    NewsPage,
    School,
    SchoolStatus,
    Status,
    User,
)

PARTIZANSK_SHNOR = {
    "МБОУ «СОШ № 1»",
    "МБОУ «СОШ № 2»",
    "МБОУ «СОШ № 3»",
    "МБОУ «СОШ № 5»",
    "МБОУ «СОШ № 12»",
    "МБОУ «СОШ № 22»",
    "МБОУ «СОШ № 24»",
    "МБОУ «СОШ № 50»",
}


def _counts():
    return {
        "schools": School.objects.count(),
        "statuses": SchoolStatus.objects.count(),
        "users": User.objects.count(),
        "emails": EmailAddress.objects.count(),
        "pages": Page.objects.count(),
        "news": NewsPage.objects.count(),
        "events": EventPage.objects.count(),
        "documents": get_document_model().objects.count(),
        "document_entries": DocumentEntry.objects.count(),
        "menu_items": MenuItem.objects.count(),
        "sites": Site.objects.count(),
    }


def _accounts(output):
    """(email, password, role) from the command's printed list of accounts."""
    return re.findall(r"^\s+(\S+@\S+)\s+(\S+)\s+(.+?)\s*$", output, re.MULTILINE)


class LoadDemoTests(TestCase):
    @classmethod
    def setUpClass(cls):
        # The demo documents are real files: keep them out of the project's media folder.
        cls.media_root = tempfile.mkdtemp(prefix="portal-demo-media-")
        cls.media_override = override_settings(
            MEDIA_ROOT=cls.media_root, PRIVATE_MEDIA_ROOT=f"{cls.media_root}/private"
        )
        cls.media_override.enable()
        try:
            super().setUpClass()
        except Exception:
            cls.media_override.disable()
            shutil.rmtree(cls.media_root, ignore_errors=True)
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            cls.media_override.disable()
            shutil.rmtree(cls.media_root, ignore_errors=True)

    @classmethod
    def setUpTestData(cls):
        first = StringIO()
        call_command("load_demo", stdout=first)
        cls.first_output = first.getvalue()
        cls.counts_after_first = _counts()
        second = StringIO()
        call_command("load_demo", stdout=second)
        cls.second_output = second.getvalue()
        cls.counts_after_second = _counts()

    def test_second_run_changes_no_counts(self):
        assert self.counts_after_first == self.counts_after_second
        assert "Демонстрационные данные загружены." in self.second_output

    def test_schools(self):
        assert School.objects.count() >= 30
        codes = list(School.objects.values_list("code", flat=True))
        assert len(codes) == len(set(codes))

    def test_partizansk_programme_shnor_schools(self):
        shnor_2022 = set(
            SchoolStatus.objects.filter(year=2022, status=Status.SHNOR).values_list(
                "school__short_name", flat=True
            )
        )
        assert shnor_2022 == PARTIZANSK_SHNOR
        assert set(School.objects.values_list("short_name", flat=True)) >= PARTIZANSK_SHNOR

    def test_leader_schools(self):
        for year in (2021, 2022, 2023, 2024):
            assert SchoolStatus.objects.filter(year=year, status=Status.LEADER).count() >= 5

    def test_statuses_for_each_year(self):
        schools = School.objects.count()
        for year in (2021, 2022, 2023, 2024):
            statuses = SchoolStatus.objects.filter(year=year)
            assert statuses.count() == schools, year
            assert all(statuses.values_list("confirmed", flat=True))
        assert SchoolStatus.objects.targets(2024).count() >= 3

    def test_one_account_per_role_is_printed(self):
        accounts = _accounts(self.first_output)
        assert {role for _email, _password, role in accounts} >= set(roles.ROLE_NAMES)
        assert _accounts(self.second_output) == accounts
        for email, _password, role in accounts:
            user = User.objects.get(email=email)
            assert role in user.groups.values_list("name", flat=True)
            assert EmailAddress.objects.get(user=user, email=email).verified

    def test_printed_passwords_log_in(self):
        for email, password, _role in _accounts(self.first_output):
            self.client.logout()
            response = self.client.post("/accounts/login/", {"login": email, "password": password})
            assert response.status_code == 302, email
            assert response["Location"] == "/cabinet/", email
            assert self.client.session["_auth_user_id"] == str(User.objects.get(email=email).pk), (
                email
            )

    def test_demo_roles_work(self):
        head = User.objects.get(email="head.sosh3@demo.example.ru")
        assert head.membership == MembershipState.CONFIRMED
        assert head.school.code == "250103"
        pending = User.objects.filter(membership=MembershipState.PENDING)
        assert pending.count() >= 2
        self.client.force_login(head)
        cabinet = self.client.get("/cabinet/").content.decode()
        assert "Заявки педагогов на подтверждение членства" in cabinet
        assert "Кравченко Денис Олегович" in cabinet
        assert "Ефимова" not in cabinet  # another school's request
        self.client.force_login(User.objects.get(email="metodist@demo.example.ru"))
        assert self.client.get("/admin/").status_code == 200

    def test_home_page_renders_with_news_and_events(self):
        home = HomePage.objects.get()
        assert Site.objects.get(is_default_site=True).root_page_id == home.pk
        response = self.client.get("/")
        assert response.status_code == 200
        text = response.content.decode()
        news = re.findall(
            r'<article class="card card--news">.*?class="card__link" href="[^"]*">([^<]*)</a>',
            text,
            re.DOTALL,
        )
        events = re.findall(
            r'<article class="card card--event">.*?class="card__link" href="[^"]*">([^<]*)</a>',
            text,
            re.DOTALL,
        )
        assert len(news) == 3
        assert len(events) == 3
        titles = news + events
        latest = NewsPage.objects.live().order_by("-date").first()
        assert latest.title in titles
        upcoming = EventPage.objects.live().upcoming().first()
        assert upcoming.title in titles
        assert "Новостей пока нет." not in text
        assert "Ближайших событий нет." not in text

    def test_public_pages_render(self):
        for page in Page.objects.live().specific().filter(depth__gt=1):
            if page.url is None:
                continue
            response = self.client.get(page.url)
            assert response.status_code == 200, page.url
        assert self.client.get("/schools/").status_code == 200
        assert self.client.get("/schools/250103/").status_code == 200
        for path in ("/news/", "/events/", "/events/?when=past", "/documents/", "/contacts/"):
            assert self.client.get(path).status_code == 200, path

    def test_navigation_and_footer(self):
        text = self.client.get("/").content.decode()
        assert 'class="main-nav__link' in text
        assert 'href="/schools/"' in text
        assert MenuItem.objects.count() >= 3

    def test_documents_page_lists_downloadable_files(self):
        documents = get_document_model().objects.all()
        assert documents.exists()
        for document in documents:
            assert document.file.path.startswith(self.media_root)
            assert document.file.size > 0
        text = self.client.get("/documents/").content.decode()
        assert "Скачать" in text
        assert DocumentEntry.objects.count() == documents.count()
