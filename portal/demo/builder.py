"""Builds the portal's demo data. Every step is an upsert keyed by a natural key (school
code, e-mail, page slug), so running it again updates rather than duplicates."""

import datetime
import uuid
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.documents import get_document_model
from wagtail.models import Page, Site

from portal import roles
from portal.models import (
    ContactFormField,
    ContactPage,
    DocumentEntry,
    DocumentsPage,
    EventIndexPage,
    EventPage,
    FooterLink,
    HomePage,
    MembershipState,
    MenuItem,
    NavigationSettings,
    NewsIndexPage,
    NewsPage,
    PortalSettings,
    School,
    SchoolStatus,
    StandardPage,
    User,
)
from portal.services import school_status_set

from . import content


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    role: str
    last_name: str
    first_name: str
    patronymic: str
    position: str
    school_code: str | None = None
    membership: str = MembershipState.NONE
    superuser: bool = False


# One account per role (listed in README.md), plus teachers waiting for confirmation so the
# head and the methodologist have requests to decide.
DEMO_ACCOUNTS = (
    DemoAccount(
        "admin@demo.example.ru",
        "Admin-2026!",
        roles.ADMINISTRATOR,
        "Соколов",
        "Андрей",
        "Павлович",
        "администратор портала",
        superuser=True,
    ),
    DemoAccount(
        "metodist@demo.example.ru",
        "Metodist-2026!",
        roles.METHODOLOGIST,
        "Белова",
        "Наталья",
        "Сергеевна",
        "методист МКУ «Центр развития образования»",
    ),
    DemoAccount(
        "head.sosh3@demo.example.ru",
        "Head-2026!",
        roles.SCHOOL_HEAD,
        "Гончаренко",
        "Олег",
        "Викторович",
        "директор",
        "250103",
        MembershipState.CONFIRMED,
    ),
    DemoAccount(
        "head.gym1@demo.example.ru",
        "Leader-2026!",
        roles.SCHOOL_HEAD,
        "Лебедева",
        "Марина",
        "Юрьевна",
        "директор",
        "250401",
        MembershipState.CONFIRMED,
    ),
    DemoAccount(
        "teacher@demo.example.ru",
        "Teacher-2026!",
        roles.TEACHER,
        "Петрова",
        "Анна",
        "Игоревна",
        "учитель математики",
        "250103",
        MembershipState.CONFIRMED,
    ),
    DemoAccount(
        "new.teacher@demo.example.ru",
        "Newcomer-2026!",
        roles.TEACHER,
        "Кравченко",
        "Денис",
        "Олегович",
        "учитель русского языка и литературы",
        "250103",
        MembershipState.PENDING,
    ),
    DemoAccount(
        "physics@demo.example.ru",
        "Newcomer-2026!",
        roles.TEACHER,
        "Ефимова",
        "Светлана",
        "Андреевна",
        "учитель физики",
        "250112",
        MembershipState.PENDING,
    ),
)


SECTION_URLS = {"Банк лучших практик": "/practices/"}


def build(stdout=None) -> list[DemoAccount]:
    with transaction.atomic():
        home = ensure_home_page()
        site = ensure_site(home)
        ensure_settings(site)
        ensure_schools()
        accounts = ensure_accounts()
        pages = ensure_pages(home)
        ensure_navigation(site, pages)
    return list(accounts)


def ensure_home_page() -> HomePage:
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    if home is None:
        home = HomePage(title="Главная", slug="glavnaya", hero_title=content.HOME["hero_title"])
        root.add_child(instance=home)
    home.title = "Главная"
    home.hero_title = content.HOME["hero_title"]
    home.hero_text = content.HOME["hero_text"]
    home.body = [
        (
            "feature_cards",
            {
                "title": "Что есть на портале",
                "cards": [
                    {
                        "title": card["title"],
                        "text": card["text"],
                        "link_page": None,
                        "link_url": "",
                    }
                    for card in content.HOME["mission_blocks"]
                ],
            },
        )
    ]
    home.save_revision().publish()
    return home


def ensure_site(home: HomePage) -> Site:
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    old_root_id = site.root_page_id
    # The address `make run` serves, so full URLs (sitemap, feeds, e-mails) point there.
    site.hostname = "127.0.0.1"
    site.port = 8000
    site.site_name = "Портал сетевого взаимодействия школ"
    site.root_page = home
    site.save()
    # Wagtail's starter «Welcome» page is replaced by the home page.
    if old_root_id and old_root_id != home.pk:
        Page.objects.filter(pk=old_root_id, depth=2).exclude(pk=home.pk).delete()
    return site


def ensure_settings(site: Site) -> None:
    municipality = content.MUNICIPALITY
    portal_settings = PortalSettings.for_site(site)
    portal_settings.department_name = municipality["department"]
    portal_settings.municipality = municipality["name"]
    portal_settings.methodological_centre = municipality["methodological_centre"]
    portal_settings.address = municipality["address"]
    portal_settings.phone = municipality["phone"]
    portal_settings.email = municipality["email"]
    portal_settings.working_hours = municipality["hours"]
    portal_settings.save()


def ensure_schools() -> None:
    for item in content.SCHOOLS:
        fields = {
            key: item[key]
            for key in (
                "name",
                "short_name",
                "kind",
                "district",
                "address",
                "head",
                "email",
                "phone",
                "website",
            )
        }
        school, _created = School.objects.update_or_create(code=item["code"], defaults=fields)
        for year, (status, basis) in item["statuses"].items():
            school_status_set(
                school=school,
                year=year,
                status=status,
                basis=basis,
                source=SchoolStatus.Source.IMPORT,
            )


def ensure_accounts():
    schools = {school.code: school for school in School.objects.all()}
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(email=account.email).first() or User(email=account.email)
        user.last_name = account.last_name
        user.first_name = account.first_name
        user.patronymic = account.patronymic
        user.position = account.position
        user.school = schools.get(account.school_code) if account.school_code else None
        if account.role == roles.SCHOOL_HEAD and user.school and user.school.head:
            # The head's account carries the name the registry gives for the school's head.
            user.last_name, user.first_name, user.patronymic = (
                user.school.head.split() + ["", ""]
            )[:3]
        user.membership = account.membership
        user.is_superuser = account.superuser
        user.is_staff = account.superuser
        user.set_password(account.password)
        user.save()
        user.groups.set([Group.objects.get(name=account.role)])
        EmailAddress.objects.update_or_create(
            user=user, email=account.email, defaults={"verified": True, "primary": True}
        )
    return DEMO_ACCOUNTS


def stream_data(blocks) -> list[dict]:
    """Demo body tuples → StreamField data, with ids stable across runs (idempotent)."""
    stream = []
    for block_type, value in blocks:
        if block_type == "table":
            value = {
                "caption": value.get("caption", ""),
                "table": {
                    "data": [value["header"], *value["rows"]],
                    "first_row_is_table_header": True,
                    "first_col_is_header": False,
                    "table_caption": "",
                },
            }
        stream.append(
            {
                "type": block_type,
                "value": value,
                "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{block_type}:{value!s}")),
            }
        )
    return stream


def _upsert(parent: Page, model, slug: str, **fields):
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
    else:
        for name, value in fields.items():
            setattr(page, name, value)
    page.save_revision().publish()
    return page


def ensure_pages(home: HomePage) -> dict[str, Page]:
    pages: dict[str, Page] = {}
    for item in content.PAGES:
        pages[item["slug"]] = _upsert(
            home,
            StandardPage,
            item["slug"],
            title=item["title"],
            intro=item["intro"],
            body=stream_data(item["body"]),
        )

    news_index = _upsert(
        home,
        NewsIndexPage,
        "news",
        title="Новости",
        intro="Новости муниципальной системы поддержки школ: партнёрство, семинары, наставничество, результаты мониторинга.",
    )
    pages["news"] = news_index
    for item in content.NEWS:
        page = _upsert(
            news_index,
            NewsPage,
            slugify(_translit(item["title"]))[:80],
            title=item["title"],
            date=item["date"],
            intro=item["intro"],
            body=stream_data(item["body"]),
        )
        page.tags.set(item["tags"])
        page.save_revision().publish()

    events_index = _upsert(
        home,
        EventIndexPage,
        "events",
        title="События",
        intro="Семинары, вебинары, открытые уроки, заседания методических объединений и экспертного совета.",
    )
    pages["events"] = events_index
    today = timezone.localdate()
    for item in content.EVENTS:
        hours, minutes = (int(part) for part in item["start_time"].split(":"))
        day = today + datetime.timedelta(days=item["days_from_today"])
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hours, minutes)))
        _upsert(
            events_index,
            EventPage,
            slugify(_translit(item["title"]))[:80],
            title=item["title"],
            start=start,
            end=start + datetime.timedelta(hours=item["duration_hours"]),
            format=item["format"],
            place=item["place"],
            online_url=item["online_url"],
            audience=item["audience"],
            organizer=item["organizer"],
            intro=item["intro"],
            body=stream_data(item["body"]),
        )

    documents = _upsert(
        home,
        DocumentsPage,
        "documents",
        title="Документы",
        intro="Нормативные правовые акты и методические документы муниципальной системы поддержки школ с низкими образовательными результатами.",
    )
    pages["documents"] = documents
    ensure_document_entries(documents)

    contacts = _upsert(
        home,
        ContactPage,
        "contacts",
        title=content.CONTACT_PAGE["title"],
        intro=f"<p>{content.CONTACT_PAGE['intro']}</p>",
        thank_you_text=f"<p>{content.CONTACT_PAGE['thank_you']}</p>",
        to_address=content.MUNICIPALITY["email"],
        from_address="portal@demo.example.ru",
        subject="Обращение с портала",
    )
    ensure_contact_form(contacts)
    pages["contacts"] = contacts
    return pages


def ensure_document_entries(page: DocumentsPage) -> None:
    Document = get_document_model()
    page.entries.all().delete()
    for order, item in enumerate(content.DOCUMENTS):
        title = item["title"]
        document = Document.objects.filter(title=title[:255]).first()
        if document is None:
            document = Document(title=title[:255])
            header = f"{item['issuer']}\n{item['kind'].upper()} от {item['date']:%d.%m.%Y} № {item['number']}\n\n{title}\n\n"
            filename = (
                f"{slugify(_translit(item['kind']))}-{slugify(_translit(item['number']))}.txt"
            )
            document.file.save(
                filename, ContentFile((header + item["text"]).encode("utf-8")), save=False
            )
            document.save()
        DocumentEntry.objects.create(
            page=page,
            sort_order=order,
            title=title,
            kind=item["kind"],
            number=item["number"],
            date=item["date"],
            issuer=item["issuer"],
            summary=item["summary"],
            document=document,
        )


def ensure_contact_form(page: ContactPage) -> None:
    page.form_fields.all().delete()
    fields = [
        ("ФИО", "singleline", True, "", ""),
        ("Электронная почта", "email", True, "", ""),
        (
            "Организация",
            "singleline",
            False,
            "",
            "Школа или другая организация, если обращение от её имени",
        ),
        (
            "Тема обращения",
            "dropdown",
            True,
            "Банк лучших практик\nДоговоры о сотрудничестве\nСообщества и наставничество\nМониторинг и показатели\nРабота портала\nДругое",
            "",
        ),
        ("Сообщение", "multiline", True, "", ""),
    ]
    for order, (label, field_type, required, choices, help_text) in enumerate(fields):
        ContactFormField.objects.create(
            page=page,
            sort_order=order,
            label=label,
            field_type=field_type,
            required=required,
            choices=choices,
            help_text=help_text,
        )


def ensure_navigation(site: Site, pages: dict[str, Page]) -> None:
    nav = NavigationSettings.for_site(site)
    nav.menu_items.all().delete()
    nav.footer_links.all().delete()
    for order, item in enumerate(content.MENU):
        target = item["slug_or_url"]
        page = pages.get(target)
        MenuItem.objects.create(
            setting=nav,
            sort_order=order,
            title=item["title"],
            link_page=page,
            link_url="" if page else target,
        )
    footer = [
        ("О портале", "about"),
        ("Документы", "documents"),
        ("Школы сети", "/schools/"),
        ("Контакты", "contacts"),
    ]
    for order, (title, target) in enumerate(footer):
        page = pages.get(target)
        FooterLink.objects.create(
            setting=nav,
            sort_order=order,
            title=title,
            link_page=page,
            link_url="" if page else target,
        )


def _translit(text: str) -> str:
    from anyascii import anyascii

    return anyascii(text)
