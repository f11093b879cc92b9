import pytest
from wagtail.models import Page, Site

from tests.factories import HomePageFactory


@pytest.fixture
def home_page(db):
    """A site whose root is the portal's home page, as load_demo and a real install have."""
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root, slug="glavnaya")
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Портал"},
    )
    # Wagtail's starter page is no longer the site root; remove it as load_demo does.
    Page.objects.filter(depth=2).exclude(pk=home.pk).delete()
    return home
