"""iCalendar (RFC 5545) for the communities' events, written by hand: text values escaped
(backslash, semicolon, comma, newline), lines folded at 75 octets, CRLF line endings, times
in UTC."""

import datetime

from django.utils import timezone

PRODID = "-//Партизанский городской округ//Сообщества педагогов//RU"


def escape_text(value: str) -> str:
    return (
        (value or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into 75-octet pieces, never inside a UTF-8 character."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, current, limit = [], b"", 75
    for char in line:
        piece = char.encode()
        if len(current) + len(piece) > limit:
            parts.append(current.decode())
            current, limit = b"", 74  # continuation lines start with a space
        current += piece
    parts.append(current.decode())
    return "\r\n ".join(parts)


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def event_lines(event, base_url: str, show_link: bool = False) -> list[str]:
    end = event.ends_at or event.starts_at + datetime.timedelta(hours=1)
    description = f"{event.community.title}\n{event.agenda}".strip()
    if show_link and event.link:
        description = f"{description}\n{event.link}".strip()
    location = event.place or ("онлайн" if event.format == "online" else "")
    lines = [
        "BEGIN:VEVENT",
        f"UID:community-event-{event.pk}@{base_url.split('//')[-1].strip('/')}",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(event.starts_at)}",
        f"DTEND:{_utc(end)}",
        f"SUMMARY:{escape_text(event.title)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"LOCATION:{escape_text(location)}",
        f"CATEGORIES:{escape_text(event.get_kind_display())}",
        f"URL:{base_url}{event.get_absolute_url()}",
        "END:VEVENT",
    ]
    return lines


def calendar(events, base_url: str, name: str, show_links: set[int] = frozenset()) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in events:
        lines.extend(event_lines(event, base_url, event.pk in show_links))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
