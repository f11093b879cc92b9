"""Demo content of the indicator pages: two IndicatorPages with a commentary under the
programme page and «Показатели» in the main menu. Idempotent, like load_demo."""

from django.db import transaction
from wagtail.models import Page, Site

from portal.demo.builder import stream_data
from portal.models import HomePage, MenuItem, NavigationSettings

from .models import IndicatorPage

MENU_TITLE = "Показатели"
MENU_URL = "/indicators/"

PAGES = [
    {
        "indicator": "IND-4",
        "slug": "ind-4",
        "title": "Диагностика профессиональных дефицитов педагогов",
        "intro": (
            "Сколько педагогов школ с низкими результатами и школ в неблагоприятных социальных "
            "условиях прошли диагностику профессиональных дефицитов за год. По её итогам "
            "педагоги строят индивидуальные образовательные маршруты (ИОМ)."
        ),
        "body": [
            ("heading", "Почему это важно"),
            (
                "paragraph",
                "<p>Диагностика — первый шаг адресной помощи учителю: без неё нельзя понять, "
                "какие предметные и методические дефициты мешают ученикам добиваться "
                "результатов. Программа ставит цель охватить диагностикой 80 % педагогов "
                "целевых школ к 2024 году.</p>",
            ),
            ("heading", "Что делает методический центр"),
            (
                "paragraph",
                "<ul><li>проводит предметную и методическую диагностику дважды в год;</li>"
                "<li>передаёт результаты руководителям школ и педагогам;</li>"
                "<li>помогает составить ИОМ и подобрать курсы, наставника или "
                "методическое объединение.</li></ul>",
            ),
        ],
    },
    {
        "indicator": "IND-6",
        "slug": "ind-6",
        "title": "Школы с положительной динамикой образовательных результатов",
        "intro": (
            "Доля целевых школ, у которых доля неудовлетворительных результатов по русскому "
            "языку и математике снизилась по сравнению с предыдущим годом."
        ),
        "body": [
            ("heading", "Как читать показатель"),
            (
                "paragraph",
                "<p>В расчёт входят школы, у которых есть результаты ЕГЭ, ОГЭ, ГВЭ или ВПР по "
                "русскому языку и математике и в отчётном, и в предыдущем году. Школа "
                "учитывается, если доля «2» у неё снизилась.</p>",
            ),
        ],
    },
]


def _body(blocks):
    # Headings are h3 here: the page's own sections are h2.
    return stream_data(
        [
            (kind, {"text": value, "level": "h3"} if kind == "heading" else value)
            for kind, value in blocks
        ]
    )


@transaction.atomic
def build(stdout=None) -> None:
    home = HomePage.objects.first()
    if home is None:
        return
    parent = Page.objects.child_of(home).filter(slug="programme").first() or home
    for item in PAGES:
        page = IndicatorPage.objects.child_of(parent).filter(slug=item["slug"]).first()
        if page is None:
            page = IndicatorPage(
                slug=item["slug"], title=item["title"], indicator=item["indicator"]
            )
            parent.add_child(instance=page)
        page.title = item["title"]
        page.indicator = item["indicator"]
        page.intro = item["intro"]
        page.body = _body(item["body"])
        page.save_revision().publish()
    _ensure_menu_item(parent)
    if stdout is not None:
        stdout.write("Показатели: страницы IND-4 и IND-6, пункт меню «Показатели».")


def _ensure_menu_item(after: Page) -> None:
    """«Показатели» right after the programme in the main menu, once."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return
    nav = NavigationSettings.for_site(site)
    items = list(nav.menu_items.order_by("sort_order", "pk"))
    if any(item.link_url == MENU_URL for item in items):
        return
    position = next(
        (i + 1 for i, item in enumerate(items) if item.link_page_id == after.pk), len(items)
    )
    items.insert(position, MenuItem(setting=nav, title=MENU_TITLE, link_url=MENU_URL))
    for order, item in enumerate(items):
        item.sort_order = order
        item.save()
