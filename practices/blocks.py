"""Blocks of a practice's description: the context, the steps, the resources and the
results with before/after figures, plus the shared set of portal/blocks.py."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from portal.blocks import RICH_TEXT_FEATURES, BaseStreamBlock


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Шаг"), max_length=200)
    text = blocks.RichTextBlock(label=_("Что делаем"), features=RICH_TEXT_FEATURES, required=False)

    class Meta:
        icon = "list-ol"
        label = _("Шаг")


class StepsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Заголовок"), default=_("Как это сделать"), max_length=200)
    steps = blocks.ListBlock(StepBlock(), label=_("Шаги"), min_num=1)

    class Meta:
        icon = "list-ol"
        label = _("Шаги внедрения")
        template = "practices/blocks/steps_block.html"
        preview_value = {
            "title": _("Как это сделать"),
            "steps": [
                {
                    "title": _("Провести входную диагностику"),
                    "text": "<p>Выявить дефициты учеников.</p>",
                },
                {"title": _("Сформировать группы"), "text": "<p>По результатам диагностики.</p>"},
            ],
        }


class FigureBlock(blocks.StructBlock):
    indicator = blocks.CharBlock(label=_("Показатель"), max_length=200)
    before = blocks.CharBlock(label=_("До"), max_length=50)
    after = blocks.CharBlock(label=_("После"), max_length=50)
    unit = blocks.CharBlock(label=_("Единица"), max_length=30, required=False)

    class Meta:
        icon = "order"
        label = _("Показатель до и после")


class ResultsBlock(blocks.StructBlock):
    text = blocks.RichTextBlock(label=_("Результаты"), features=RICH_TEXT_FEATURES, required=False)
    figures = blocks.ListBlock(FigureBlock(), label=_("Показатели до и после"), min_num=0)

    class Meta:
        icon = "success"
        label = _("Результаты")
        template = "practices/blocks/results_block.html"
        preview_value = {
            "text": "<p>Доля неудовлетворительных результатов снизилась.</p>",
            "figures": [
                {
                    "indicator": "Доля «2» на ОГЭ по математике",
                    "before": "18",
                    "after": "7",
                    "unit": "%",
                }
            ],
        }


SECTION_KINDS = [
    ("context", _("Контекст и проблема")),
    ("resources", _("Необходимые ресурсы")),
    ("risks", _("Риски и как их избежать")),
]


class SectionBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(label=_("Раздел"), choices=SECTION_KINDS)
    text = blocks.RichTextBlock(label=_("Текст"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "doc-full"
        label = _("Раздел описания")
        template = "practices/blocks/section_block.html"
        preview_value = {
            "kind": "context",
            "text": "<p>В школе 30% учеников не справляются с ОГЭ.</p>",
        }

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["kind_label"] = dict(SECTION_KINDS).get(value["kind"], "")
        return context


class PracticeStreamBlock(BaseStreamBlock):
    section = SectionBlock()
    steps = StepsBlock()
    results = ResultsBlock()
