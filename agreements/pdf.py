"""The agreement's PDF, rendered with WeasyPrint from the admin-editable template.

The template is plain text with placeholders ({номер}, {стороны}, …); the data are escaped,
so nothing an editor or a party types can inject markup. Paragraphs are separated by blank
lines; {план} becomes a table.
"""

import re

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import AgreementTemplate


def _term(agreement) -> str:
    return f"с {agreement.start_date:%d.%m.%Y} по {agreement.end_date:%d.%m.%Y}"


def _plan_table(agreement) -> str:
    rows = [
        "<tr>"
        f"<td>{index}</td><td>{escape(item.action)}</td>"
        f"<td>{item.start_date:%d.%m.%Y} – {item.end_date:%d.%m.%Y}</td>"
        f"<td>{escape(item.responsible)}</td><td>{escape(item.expected_result)}</td>"
        "</tr>"
        for index, item in enumerate(agreement.plan.all(), start=1)
    ]
    if not rows:
        return "<p>План будет согласован сторонами дополнительно.</p>"
    return (
        '<table class="plan"><thead><tr><th>№</th><th>Мероприятие</th><th>Сроки</th>'
        "<th>Ответственный</th><th>Ожидаемый результат</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def render_body(agreement, version: int) -> str:
    """The agreement's text as HTML: the template with its placeholders filled in."""
    parties = "; ".join(
        f"{party.school.name} ({party.get_role_display()})"
        for party in agreement.parties.select_related("school")
    )
    values = {
        "{номер}": escape(agreement.number),
        "{дата}": f"Редакция {version} от {timezone.localdate():%d.%m.%Y}",
        "{предмет}": escape(agreement.title.rstrip(".")),
        "{цель}": escape(agreement.purpose),
        "{стороны}": escape(parties),
        "{виды_поддержки}": escape(", ".join(agreement.support_kind_labels()) or "—"),
        "{предметы}": escape(", ".join(s.name for s in agreement.subjects.all()) or "—"),
        "{срок}": _term(agreement),
    }
    template = AgreementTemplate.load().body
    html_parts = []
    for paragraph in re.split(r"\n\s*\n", template.strip()):
        if paragraph.strip() == "{план}":
            html_parts.append(_plan_table(agreement))
            continue
        lines = escape(paragraph).split("\n")
        # A paragraph opening with «1. Предмет договора» is a section: its first line a heading.
        if re.match(r"\d+\.\s", lines[0]) and len(lines[0]) < 120:
            lines[0] = f"<strong>{lines[0]}</strong>"
        text = "<br>".join(lines)
        for key, value in values.items():
            text = text.replace(escape(key), value)
        if "{план}" in text:
            text = text.replace("{план}", "")
            html_parts.append(f"<p>{text}</p>{_plan_table(agreement)}")
        else:
            html_parts.append(f"<p>{text}</p>")
    return "\n".join(html_parts)


def render_pdf(agreement, version: int) -> bytes:
    # Imported here: WeasyPrint needs Pango, and only this path renders.
    from weasyprint import HTML

    signatories = [
        party.school for party in agreement.parties.select_related("school").order_by("role")
    ]
    html = render_to_string(
        "agreements/pdf.html",
        {
            "agreement": agreement,
            "version": version,
            "body": mark_safe(render_body(agreement, version)),
            "signatories": signatories,
        },
    )
    return HTML(string=html).write_pdf()
