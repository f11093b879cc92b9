"""Site-wide features: search, robots.txt, sitemap, the 404 page, the accessibility mode."""

import re

import pytest

from tests.factories import (
    NewsIndexPageFactory,
    NewsPageFactory,
    SchoolFactory,
    StandardPageFactory,
)

pytestmark = pytest.mark.django_db


def result_titles(response):
    return re.findall(
        r'<h3 class="search-results__title"><a href="[^"]*">([^<]*)</a></h3>',
        response.content.decode(),
    )


# --- Search -----------------------------------------------------------------------------------


@pytest.fixture
def pages(home_page):
    mentoring = StandardPageFactory(
        parent=home_page, slug="mentoring", title="Наставничество в школах сети"
    )
    draft = StandardPageFactory(parent=home_page, slug="draft", title="Наставничество черновик")
    draft.unpublish()
    StandardPageFactory(parent=home_page, slug="about", title="О портале")
    return {"mentoring": mentoring, "draft": draft}


def test_search_finds_published_page_by_title_word(client, pages):
    response = client.get("/search/", {"q": "Наставничество"})
    assert response.status_code == 200
    assert result_titles(response) == ["Наставничество в школах сети"]
    assert pages["mentoring"].url in response.content.decode()


def test_search_finds_nothing(client, pages):
    response = client.get("/search/", {"q": "квантовая"})
    assert response.status_code == 200
    assert result_titles(response) == []
    assert "По запросу «квантовая» ничего не найдено." in response.content.decode()


def test_search_finds_schools(client, home_page):
    SchoolFactory(code="250401", short_name="МАОУ «Гимназия № 1»")
    SchoolFactory(code="250101", short_name="МБОУ «СОШ № 1»")
    response = client.get("/search/", {"q": "Гимназия"})
    text = response.content.decode()
    assert 'href="/schools/250401/">МАОУ «Гимназия № 1»</a>' in text
    assert "/schools/250101/" not in text


def test_empty_search_shows_form_only(client, home_page):
    response = client.get("/search/")
    assert response.status_code == 200
    assert response.context["results"] is None
    assert "Поиск по порталу" in response.content.decode()


def test_search_with_nul_byte_is_400_in_russian(client, home_page):
    response = client.get("/search/?q=%D1%88%D0%BA%D0%BE%D0%BB%D0%B0%00")
    assert response.status_code == 400
    text = response.content.decode()
    assert "Запрос содержит недопустимые символы." in text
    assert 'aria-invalid="true"' in text
    assert 'lang="ru"' in text


def test_too_long_search_is_400_in_russian(client, home_page):
    response = client.get("/search/", {"q": "ш" * 10_000})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Запрос слишком длинный: не более 200 символов." in text
    assert "ш" * 300 not in text  # the query is not echoed back


@pytest.mark.parametrize("query", ["&", "|", "!", ":*", "(", "'", "a'b", "NOT", "школ*", "😀"])
def test_search_with_operator_characters_is_not_an_error(client, pages, query):
    assert client.get("/search/", {"q": query}).status_code == 200


@pytest.mark.parametrize("query", ['"', '"школ'])
def test_search_with_unbalanced_quote_is_not_an_error(client, pages, query):
    """SQLite's FTS5 used to fail on an unbalanced quote with «unterminated string»."""
    client.raise_request_exception = False
    assert client.get("/search/", {"q": query}).status_code == 200


def test_search_ignores_quotes_and_operators_around_words(client, pages):
    response = client.get("/search/", {"q": '"Наставничество'})
    assert result_titles(response) == ["Наставничество в школах сети"]


def test_search_query_at_the_limit_is_accepted(client, home_page):
    assert client.get("/search/", {"q": "ш" * 200}).status_code == 200


def test_search_query_count_does_not_grow(client, home_page, queries_do_not_grow):
    news_index = NewsIndexPageFactory(parent=home_page)
    for number in range(5):
        NewsPageFactory(parent=news_index, slug=f"a{number}", title=f"Семинар номер {number}")
    SchoolFactory(short_name="Семинарская школа")

    def add_more():
        for number in range(25):
            NewsPageFactory(parent=news_index, slug=f"b{number}", title=f"Семинар ещё {number}")
            SchoolFactory(short_name=f"Семинарская школа {number}")

    response = queries_do_not_grow(lambda: client.get("/search/", {"q": "Семинар"}), add_more)
    assert len(result_titles(response)) == 10  # one page of results
    assert response.content.decode().count("Семинарская школа") == 5  # five schools at most


# --- robots.txt and sitemap -------------------------------------------------------------------


def test_robots_txt(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /cabinet/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_sitemap_lists_pages_and_schools(client, home_page):
    StandardPageFactory(parent=home_page, slug="about", title="О портале")
    hidden = StandardPageFactory(parent=home_page, slug="hidden", title="Черновик")
    hidden.unpublish()
    SchoolFactory(code="250103")
    SchoolFactory(code="250401")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert "xml" in response["Content-Type"]
    locations = re.findall(r"<loc>([^<]+)</loc>", response.content.decode())
    paths = [re.sub(r"^https?://[^/]+", "", loc) for loc in locations]
    assert "/" in paths
    assert "/about/" in paths
    assert "/hidden/" not in paths
    assert "/schools/250103/" in paths
    assert "/schools/250401/" in paths


# --- Errors -----------------------------------------------------------------------------------


def test_missing_page_is_russian_404(client, home_page):
    response = client.get("/net-takoy-stranitsy/")
    assert response.status_code == 404
    text = response.content.decode()
    assert 'lang="ru"' in text
    assert "Страница не найдена" in text
    assert 'action="/search/"' in text


# --- Accessibility mode -----------------------------------------------------------------------


def html_class(response):
    return re.search(r'<html lang="ru" class="([^"]*)">', response.content.decode()).group(1)


def test_accessibility_mode_on(client, home_page):
    response = client.get("/accessibility/?size=large&scheme=contrast&next=/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    cookie = response.cookies["a11y"]
    assert cookie.value == "large:contrast"
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    page = client.get("/")
    assert html_class(page) == "a11y a11y--large a11y--contrast"
    assert "Настройки версии для слабовидящих" in page.content.decode()


def test_accessibility_mode_adjust_keeps_other_setting(client, home_page):
    client.get("/accessibility/?size=large&scheme=contrast&next=/")
    response = client.get("/accessibility/?scheme=inverted&next=/")
    assert response.cookies["a11y"].value == "large:inverted"
    assert html_class(client.get("/")) == "a11y a11y--large a11y--inverted"


def test_accessibility_mode_defaults_for_unknown_values(client, home_page):
    response = client.get("/accessibility/?size=huge&scheme=neon")
    assert response.cookies["a11y"].value == "large:contrast"


def test_accessibility_mode_off(client, home_page):
    client.get("/accessibility/?size=xlarge&scheme=contrast&next=/")
    response = client.get("/accessibility/?mode=off&next=/")
    assert response.status_code == 302
    assert response.cookies["a11y"].value == ""
    assert response.cookies["a11y"]["max-age"] == 0
    page = client.get("/")
    assert html_class(page) == ""
    assert "Версия для слабовидящих" in page.content.decode()


def test_forged_accessibility_cookie_falls_back_to_known_values(client, home_page):
    client.cookies["a11y"] = "huge:neon"
    classes = html_class(client.get("/")).split()
    assert "a11y--huge" not in classes
    assert "a11y--neon" not in classes
    client.cookies["a11y"] = "xlarge:inverted"
    assert html_class(client.get("/")) == "a11y a11y--xlarge a11y--inverted"


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "http://evil.example/phish",
        "javascript:alert(1)",
    ],
)
def test_accessibility_does_not_redirect_off_site(client, next_url):
    response = client.get("/accessibility/", {"size": "large", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_accessibility_returns_to_local_next(client):
    response = client.get("/accessibility/", {"size": "large", "next": "/schools/?status=shnor"})
    assert response["Location"] == "/schools/?status=shnor"


def test_accessibility_is_get_only(client):
    assert client.post("/accessibility/", {"size": "large"}).status_code == 405
