from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .selectors import published_practices


class NewPracticesFeed(Feed):
    title = _("Банк лучших практик: новые практики")
    description = _("Новые практики, опубликованные в банке портала сетевого взаимодействия школ.")

    def link(self):
        from .models import PracticeIndexPage

        index = PracticeIndexPage.objects.live().first()
        return index.url if index else "/"

    def items(self):
        return published_practices().select_related("school").order_by("-published_on", "-pk")[:30]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        school = f" ({item.school.short_name})" if item.school else ""
        return f"{item.summary}{school}"

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return item.first_published_at or item.last_published_at

    def item_categories(self, item):
        return [problem.name for problem in item.problems.all()]


class NewPracticesAtomFeed(NewPracticesFeed):
    feed_type = Atom1Feed
    subtitle = NewPracticesFeed.description
