"""StreamField blocks shared by every page, in the style of bakerydemo's base blocks."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock


class HeadingBlock(blocks.StructBlock):
    heading_text = blocks.CharBlock(label=_("Heading"), required=True)
    size = blocks.ChoiceBlock(
        label=_("Size"),
        choices=[("h2", "H2"), ("h3", "H3"), ("h4", "H4")],
        default="h2",
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        preview_value = {"heading_text": "Manifattura avanzata", "size": "h2"}


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"))
    text = blocks.RichTextBlock(
        label=_("Text"), features=["bold", "italic", "link", "ul"]
    )
    style = blocks.ChoiceBlock(
        label=_("Style"),
        choices=[
            ("info", _("Information")),
            ("success", _("Highlight")),
            ("warning", _("Attention")),
        ],
        default="info",
    )

    class Meta:
        icon = "help"
        template = "blocks/callout_block.html"
        preview_value = {
            "title": "Voucher Regione Piemonte",
            "text": "<p>Le imprese possono finanziare i corsi con il voucher.</p>",
            "style": "info",
        }


class FigureBlock(blocks.StructBlock):
    image = ImageBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False)

    class Meta:
        icon = "image"
        template = "blocks/figure_block.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Attribution"), required=False)

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"
        preview_value = {
            "text": "Personale già formato per le alte tecnologie.",
            "attribution": "Camera di commercio di Torino",
        }


class KeyFigureBlock(blocks.StructBlock):
    value = blocks.CharBlock(label=_("Figure"), max_length=20)
    label = blocks.CharBlock(label=_("Label"), max_length=80)

    class Meta:
        icon = "pick"


class KeyFiguresBlock(blocks.StructBlock):
    figures = blocks.ListBlock(KeyFigureBlock(), label=_("Figures"))

    class Meta:
        icon = "list-ul"
        template = "blocks/key_figures_block.html"
        preview_value = {
            "figures": [
                {"value": "38 M€", "label": "accordo di programma"},
                {"value": "5", "label": "enti promotori"},
            ]
        }


class BaseStreamBlock(blocks.StreamBlock):
    """The blocks an editor can use on any page of the site."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        icon="pilcrow",
        features=["bold", "italic", "link", "document-link", "ol", "ul", "h3"],
        template="blocks/paragraph_block.html",
    )
    callout = CalloutBlock()
    figure = FigureBlock()
    quote = QuoteBlock()
    key_figures = KeyFiguresBlock()
