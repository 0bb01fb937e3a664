"""The digest a recurring `ringkasan` schedule sends: the period's election posts as a list of
linked headlines, newest first, within one Telegram message."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot import i18n
from bot.dates import format_day
from bot.format.listing import NAME_CHARS, TITLE_CHARS, field, linked
from bot.storage.posts import PublicPost

DIGEST_WORDS = {"ringkasan", "digest"}
MAX_CHARS = 3800  # below Telegram's 4096, leaving room for the closing line
PERIODS = {"daily": timedelta(hours=24), "weekly": timedelta(days=7)}


def digest_period(repeat: str) -> timedelta:
    return PERIODS.get(repeat, PERIODS["daily"])


def digest_html(
    posts: list[PublicPost], *, repeat: str, now: datetime, zone: str, language: str
) -> str:
    period = "digest_period_weekly" if repeat == "weekly" else "digest_period_daily"
    head = i18n.text(
        "digest_head",
        language,
        day=format_day(now, zone, language),
        period=i18n.text(period, language),
    )
    if not posts:
        return f"{head}\n\n{i18n.text('digest_empty', language)}"
    lines: list[str] = []
    size = len(head)
    for number, post in enumerate(posts, start=1):
        line = _line(number, post)
        if size + len(line) + 1 > MAX_CHARS:
            more = i18n.text("digest_more", language, count=len(posts) - len(lines))
            lines.append(more)
            break
        lines.append(line)
        size += len(line) + 1
    return head + "\n\n" + "\n".join(lines)


def _line(number: int, post: PublicPost) -> str:
    title = linked(field(post.title, TITLE_CHARS), post.link)
    source = f" — <i>{field(post.source, NAME_CHARS)}</i>" if post.source else ""
    return f"{number}. {title}{source}"
