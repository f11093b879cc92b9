import factory
import wagtail_factories

from practices.models import PracticeIndexPage, PracticePage, Problem


class PracticeIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = PracticeIndexPage

    title = "Банк лучших практик"
    slug = "practices"


class PracticePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = PracticePage
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Практика {n}")
    slug = factory.Sequence(lambda n: f"praktika-{n}")
    summary = "Учитель организует работу в малых группах."
    format = "method"
    evidence_level = 2
    body = factory.LazyFunction(
        lambda: [
            {"type": "section", "value": {"kind": "context", "text": "<p>Контекст практики.</p>"}}
        ]
    )

    @factory.post_generation
    def problems(self, create, extracted, **kwargs):
        if not create:
            return
        self.problems.set(extracted or [Problem.objects.order_by("sort_order").first()])
        self.save()

    @factory.post_generation
    def subjects(self, create, extracted, **kwargs):
        if create and extracted:
            self.subjects.set(extracted)
            self.save()

    @factory.post_generation
    def grade_levels(self, create, extracted, **kwargs):
        if create and extracted:
            self.grade_levels.set(extracted)
            self.save()
