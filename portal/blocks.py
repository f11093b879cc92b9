"""The shared StreamField block set. Every block has an icon, a template and a preview, so
editors see in the block picker what they are about to insert."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link", "hr"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Текст"), max_length=255)
    level = blocks.ChoiceBlock(
        label=_("Уровень"),
        choices=[("h2", _("Раздел (H2)")), ("h3", _("Подраздел (H3)"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Заголовок")
        template = "blocks/heading_block.html"
        preview_value = {"text": _("Цели и задачи программы"), "level": "h2"}
        description = _("Заголовок раздела; из заголовков H2 строится оглавление страницы")


class ParagraphBlock(blocks.RichTextBlock):
    class Meta:
        icon = "pilcrow"
        label = _("Текст")
        template = "blocks/paragraph_block.html"
        preview_value = (
            "<p>Программа направлена на повышение качества образования в школах с низкими "
            "образовательными результатами через сетевое взаимодействие.</p>"
        )


class CalloutBlock(blocks.StructBlock):
    style = blocks.ChoiceBlock(
        label=_("Вид"),
        choices=[
            ("info", _("Информация")),
            ("success", _("Результат")),
            ("warning", _("Важно")),
        ],
        default="info",
    )
    title = blocks.CharBlock(label=_("Заголовок"), required=False, max_length=200)
    text = blocks.RichTextBlock(label=_("Текст"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "warning"
        label = _("Выноска")
        template = "blocks/callout_block.html"
        preview_value = {
            "style": "info",
            "title": _("Обратите внимание"),
            "text": "<p>Не менее пяти договоров о сотрудничестве ежегодно.</p>",
        }


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Цитата"))
    attribution = blocks.CharBlock(label=_("Источник"), required=False, max_length=255)

    class Meta:
        icon = "openquote"
        label = _("Цитата")
        template = "blocks/quote_block.html"
        preview_value = {
            "text": "Сократить разрыв между «сильными» и «слабыми» школами.",
            "attribution": "Муниципальная модель",
        }


class CaptionedImageBlock(ImageBlock):
    class Meta:
        icon = "image"
        label = _("Изображение")
        template = "blocks/image_block.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Документ"))
    title = blocks.CharBlock(
        label=_("Подпись"), required=False, help_text=_("По умолчанию — название документа")
    )

    class Meta:
        icon = "doc-full"
        label = _("Документ")
        template = "blocks/document_block.html"


class TableWithCaptionBlock(blocks.StructBlock):
    caption = blocks.CharBlock(label=_("Подпись таблицы"), required=False, max_length=255)
    table = TableBlock(
        label=_("Таблица"),
        table_options={"startRows": 3, "startCols": 3, "colHeaders": False, "rowHeaders": False},
    )

    class Meta:
        icon = "table"
        label = _("Таблица")
        template = "blocks/table_block.html"
        preview_value = {
            "caption": _("Целевые значения показателей"),
            "table": {
                "first_row_is_table_header": True,
                "first_col_is_header": False,
                "data": [["Показатель", "2022", "2023"], ["Доля ШНОР в партнёрстве", "20%", "25%"]],
            },
        }


class EmbedWithCaptionBlock(blocks.StructBlock):
    embed = EmbedBlock(label=_("Ссылка на видео или материал"))
    caption = blocks.CharBlock(label=_("Подпись"), required=False, max_length=255)

    class Meta:
        icon = "media"
        label = _("Встраиваемый материал")
        template = "blocks/embed_block.html"


class FeatureCardBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Заголовок"), max_length=120)
    text = blocks.TextBlock(label=_("Текст"))
    link_page = blocks.PageChooserBlock(label=_("Страница"), required=False)
    link_url = blocks.CharBlock(label=_("Или адрес"), required=False, max_length=300)

    class Meta:
        icon = "doc-empty"
        label = _("Карточка")


class FeatureCardsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Заголовок раздела"), required=False, max_length=200)
    cards = blocks.ListBlock(FeatureCardBlock(), label=_("Карточки"), min_num=1, max_num=8)

    class Meta:
        icon = "grip"
        label = _("Карточки разделов")
        template = "blocks/feature_cards_block.html"
        preview_value = {
            "title": _("Что есть на портале"),
            "cards": [
                {
                    "title": _("Банк лучших практик"),
                    "text": _("Проверенные методики педагогов округа."),
                },
                {
                    "title": _("Договоры о сотрудничестве"),
                    "text": _("Школы-лидеры помогают коллегам."),
                },
            ],
        }


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock(features=RICH_TEXT_FEATURES)
    callout = CalloutBlock()
    quote = QuoteBlock()
    image = CaptionedImageBlock()
    document = DocumentBlock()
    table = TableWithCaptionBlock()
    embed = EmbedWithCaptionBlock()
    feature_cards = FeatureCardsBlock()
