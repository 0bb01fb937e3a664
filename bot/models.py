"""Domain values passed between the pipeline stages.

Every stage speaks in these frozen dataclasses: no feedparser dicts, no python-telegram-bot
objects and no database rows cross a stage boundary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal


@dataclass(frozen=True, slots=True)
class Item:
    """One feed entry, normalised by the parse stage."""

    uid: str  # stable identity: hash of guid, else canonical link, else title + text
    title: str  # plain text
    link: str | None
    published: datetime | None  # timezone-aware, UTC
    summary: str  # plain text
    content: str  # plain text: the fullest body the feed carries (content > summary)
    image: str | None = None
    guid: str | None = None
    author: str | None = None

    @property
    def text(self) -> str:
        """The body to analyse: the content when there is one, else the summary."""
        return self.content or self.summary


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """What the parse stage makes of one feed document."""

    title: str | None
    items: tuple[Item, ...]
    ttl_minutes: int | None = None  # RSS <ttl>
    error: str | None = None  # set when the document was not a usable feed
    site_zone: str | None = None  # IANA zone the document's dates were read in
    # The items carry no text of their own (a sitemap): their pages are worth reading.
    needs_pages: bool = False


@dataclass(frozen=True, slots=True)
class FetchResult:
    """The outcome of one HTTP fetch. Errors are data, not exceptions."""

    url: str  # the URL asked for
    status: int | None = None  # HTTP status; None when no answer came
    body: bytes | None = None  # None on 304 and on errors
    etag: str | None = None
    last_modified: str | None = None
    final_url: str | None = None  # after redirects
    permanent_redirect: str | None = None  # new URL when every hop was 301/308
    retry_after: float | None = None  # seconds, from a Retry-After header
    max_age: int | None = None  # seconds, from Cache-Control
    content_type: str | None = None
    error: str | None = None  # human-readable, set when the fetch failed

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def ok(self) -> bool:
        return self.error is None and self.body is not None


@dataclass(frozen=True, slots=True)
class Reason:
    """One piece of evidence for (or against) election relevance."""

    term: str  # the taxonomy term, e.g. "pemilu"
    topic: str  # the taxonomy topic, e.g. "pemilu", "pilkada", "penyelenggara"
    where: Literal["title", "text"]
    matched: str  # the surface text that matched, e.g. "Pemilu"
    weight: float  # contribution to the score (negative for counter-evidence)
    count: int = 1
    note: str = ""  # why, in words, e.g. "konteks olahraga: 'kapten terpilih'"


@dataclass(frozen=True, slots=True)
class Quote:
    """A direct quote and who said it (full name and role as the article first gives them)."""

    text: str  # without the quote marks
    speaker: str | None  # the display form used in posts: role and name, "Ketua KPU Kaltim Fahmi"
    speaker_name: str | None = None  # the full name as the article first gives it, no honorifics
    speaker_role: str | None = None  # the role or office, when the article gives one


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the analyse stage concludes about one article."""

    is_election: bool
    score: float
    reasons: tuple[Reason, ...]
    quotes: tuple[Quote, ...]  # every direct quote, in order of appearance
    key_quotes: tuple[Quote, ...] = ()  # at most two, for the post, trimmed when long
    lead: str = ""  # one sentence a reader understands alone, "" when no sentence qualifies
    topics: tuple[str, ...] = ()  # matched topics, most important first
    hashtags: tuple[str, ...] = ()  # without '#', e.g. ("Pemilu2024", "KPU")


@dataclass(frozen=True, slots=True)
class Post:
    """A message ready for Telegram: HTML text (parse_mode=HTML) and an optional image URL."""

    html: str
    image: str | None = None
    caption: str | None = None  # the same post within 1024 characters, when it can go as a photo
    # Inline keyboard, one row: (label, callback data) pairs, e.g. review's Terbitkan / Tolak.
    buttons: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class SendOutcome:
    """What happened to one send attempt, classified for the outbox.

    status:
      sent          delivered; message_id set
      retry         transient (429, 5xx, timeout, network): try again, after retry_after if set
      failed        permanent for this message (after the plain-text fallback): never retried
      channel_gone  permanent for the chat (kicked, not a member, chat not found, blocked)
      migrated      group became a supergroup: send again to new_chat_id
    """

    status: Literal["sent", "retry", "failed", "channel_gone", "migrated"]
    message_id: int | None = None
    error: str | None = None
    retry_after: float | None = None
    new_chat_id: int | None = None
    rate_limited: bool = False  # a 429: not counted as a failure
    plain_text_fallback: bool = False  # sent without HTML after a parse error


@dataclass(frozen=True, slots=True)
class DeliveryJob:
    """One (chat, post) send the outbox asks the deliver stage to make."""

    delivery_id: int
    chat_id: int | str
    post: Post
    attempts: int = 0
    meta: dict[str, str] = field(default_factory=dict, compare=False)
    broadcast: bool = False  # an admin broadcast: never held by a pause, caps or quiet hours
