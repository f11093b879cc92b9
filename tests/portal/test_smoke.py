import pytest


@pytest.mark.django_db
def test_home_page_renders_in_russian(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    assert 'lang="ru"' in response.text
    assert "Каждой школе — высокие результаты" in response.text
