"""What each `humasbot` subcommand does, on top of the shared services.

Imports are local to each command: `analyze` must start fast and needs no Telegram code.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sys
from collections.abc import Iterator
from dataclasses import asdict
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TextIO, TypeVar
from urllib.parse import urlsplit

from bot.format.listing import inactive_reason
from bot.settings import BotUnusable, Config, load_config

if TYPE_CHECKING:
    from telegram import Bot

    from bot.services import Services
    from bot.services.base import Denied
    from bot.storage.channels import ChannelDeliveries
    from bot.storage.feeds import FeedListing

T = TypeVar("T")

log = logging.getLogger(__name__)


@contextlib.contextmanager
def bot_errors(config: Config) -> Iterator[None]:
    """Turn python-telegram-bot's start-up failures into :class:`BotUnusable`."""
    from telegram.error import InvalidToken, NetworkError, TelegramError

    url = config.telegram.api_base_url
    try:
        yield
    except InvalidToken as exc:
        cause = exc.__cause__ if isinstance(exc.__cause__, TelegramError) else exc
        if "not found" in cause.message.lower():  # a wrong URL, or a malformed token
            raise BotUnusable(
                f"alamat Bot API salah atau token ditolak oleh Telegram ({cause.message}): "
                f"periksa telegram.api_base_url ({url}) dan TELEGRAM_BOT_TOKEN."
            ) from None
        raise BotUnusable(
            f"TELEGRAM_BOT_TOKEN: token ditolak oleh Telegram ({cause.message}); "
            "minta token yang berlaku dari @BotFather."
        ) from None
    except NetworkError as exc:
        raise BotUnusable(
            f"Server Bot API tidak dapat dihubungi di {url} ({exc.message}): periksa "
            "telegram.api_base_url (atau TELEGRAM_API_BASE_URL) dan jaringan."
        ) from None


async def started_bot(config: Config, token: str) -> Bot:
    """A Bot that has asked the Bot API who it is (the token works, the server answers);
    its failures are :class:`BotUnusable`."""
    from telegram import Bot

    bot = Bot(
        token,
        base_url=config.telegram.api_base_url,
        base_file_url=config.telegram.api_base_file_url,
    )
    with bot_errors(config):
        await bot.initialize()
    return bot


async def check_bot(config: Config, token: str) -> None:
    """Ask the Bot API who the bot is: the token works and the server answers."""
    await (await started_bot(config, token)).shutdown()


def run(config: Config, token: str, webhook_secret: str | None = None) -> int:
    """The long-running service; returns when SIGINT or SIGTERM stops it."""
    from bot.app import serve
    from bot.http.server import ListenError

    # PTB's own start-up logs a failure with its traceback before raising: check first
    asyncio.run(check_bot(config, token))
    try:
        with bot_errors(config):
            asyncio.run(serve(config, token, webhook_secret))
    except ListenError as exc:
        log.error("tidak bisa membuka server HTTP: %s", exc)
        print(f"Server HTTP tidak bisa dibuka: {exc}", file=sys.stderr)
        return 2
    return 0


async def poll_once(config: Config, token: str, *, every: bool) -> int:
    """One full cycle against Telegram, the same code path as the scheduler's job."""
    from bot.deliver.telegram import TelegramSink
    from bot.services import Services

    bot = await started_bot(config, token)
    try:
        services = Services.create(config, TelegramSink(bot))
        try:
            report = await services.pipeline.poll(every=every)
            await services.after_poll()
            sent = await services.outbox.deliver()
        finally:
            services.close()
    finally:
        await bot.shutdown()
    log.info(
        "poll --once done new_items=%s queued=%s delivery=%s", report.new_items, report.queued, sent
    )
    return 0


def demo() -> int:
    from bot.demo import run_demo

    return run_demo(sys.stdout)


def check_config(path: str | None) -> int:
    config = load_config(path)
    print(
        f"Konfigurasi valid: {len(config.feeds)} umpan, {len(config.channels)} kanal, "
        f"{len(config.admins)} admin, zona waktu {config.timezone}."
    )
    return 0


def feeds(config: Config, *, as_json: bool, out: TextIO | None = None) -> int:
    """Each feed's health (bot.services.feeds), after following the config's feeds and the
    admins' (a feed an admin added stays switched on)."""
    from bot.services.base import OPERATOR

    async def health(services: Services) -> list[FeedListing]:
        await services.feeds.resync()
        return granted(await services.feeds.health(OPERATOR))

    out = out or sys.stdout  # read now: a test may have replaced it since the import
    with operator_services(config) as services:
        rows = asyncio.run(health(services))
    words = {"ok": "ok", "failing": "gagal", "disabled": "mati", "gone": "hilang"}
    for feed in rows:
        status = words[feed.status]  # hilang: 410 Gone, off until its URL changes
        record = {
            "url": feed.url,
            "name": feed.name,
            "status": status,
            "last_success": _iso(feed.last_success),
            "last_error": feed.last_error,
            "failures": feed.failures,
            "items": feed.items,
            "next_check": _iso(feed.next_check),
            "config_url": feed.config_url,  # set when a permanent redirect moved the feed
        }
        if as_json:
            print(json.dumps(record, ensure_ascii=False), file=out)
        else:
            success = feed.last_success.strftime("%Y-%m-%d %H:%M") if feed.last_success else "-"
            print(
                f"{status:6} {feed.failures:3} gagal {feed.items:5} item  "
                f"sukses {success:16}  {feed.url}"
                + (f"  ({feed.last_error})" if feed.last_error else ""),
                file=out,
            )
    return 0


def deliveries(config: Config, *, as_json: bool, out: TextIO | None = None) -> int:
    """Per chat: sent, pending, failed, last error, last success, active or not
    (bot.services.channels)."""
    from bot.services.base import OPERATOR

    out = out or sys.stdout
    with operator_services(config) as services:
        rows = granted(asyncio.run(services.channels.deliveries(OPERATOR)))
    for row in rows:
        record = {
            "chat_id": row.chat_id,
            "name": row.name,
            "active": row.active,
            "sent": row.sent,
            "pending": row.pending,
            "failed": row.failed,
            "last_error": row.last_error,
            "last_error_at": _iso(row.last_error_at),
            "last_success": _iso(row.last_success),
            "inactive_reason": row.inactive_reason,
        }
        if as_json:
            print(json.dumps(record, ensure_ascii=False), file=out)
            continue
        state = "aktif" if row.active else "NONAKTIF"
        print(
            f"{state:8} {row.sent:5} terkirim {row.pending:4} antre {row.failed:4} gagal  "
            f"{row.chat_id} {row.name or ''}".rstrip()
            + (f"  ({_why_inactive(row)})" if not row.active else ""),
            file=out,
        )
    return 0


def enable_channel(config: Config, chat_id: str, out: TextIO | None = None) -> int:
    """Re-enable a channel the bot had deactivated (bot.services.channels, as /kanal aktifkan
    does; recorded in the audit log as the operator's); its pending posts go out again."""
    from bot.deliver.sink import ConsoleSink
    from bot.services import Services
    from bot.services.base import OPERATOR
    from bot.services.channels import ChannelEnable

    out = out or sys.stdout
    services = Services.create(config, ConsoleSink(sys.stderr))
    try:
        changed = asyncio.run(services.channels.enable(chat_id.strip(), OPERATOR))
    finally:
        services.close()
    if changed is ChannelEnable.UNKNOWN:
        print(f"Kanal {chat_id} tidak dikenal.", file=sys.stderr)
        return 1
    done = "diaktifkan lagi." if changed is ChannelEnable.ENABLED else "sudah aktif."
    print(f"Kanal {chat_id} {done}", file=out)
    return 0


@contextlib.contextmanager
def operator_services(config: Config) -> Iterator[Services]:
    """The services as the command line's reports and maintenance use them: no bot, the
    database as it is (not synced with the config), acting as the OPERATOR."""
    from bot.deliver.sink import ConsoleSink
    from bot.services import Services

    services = Services.create(config, ConsoleSink(sys.stderr), sync=False)
    try:
        yield services
    finally:
        services.close()


def granted(result: T | Denied) -> T:
    """What a service answered the operator, who is refused nothing."""
    from bot.services.base import Denied

    if isinstance(result, Denied):
        raise RuntimeError("the command line was refused an admin action")
    return result


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def analyze(path: str | None, out: TextIO = sys.stdout) -> int:
    """JSON Lines in, one JSON line per article out, in input order; logs go to stderr."""
    from bot.analyse import analyze as analyse_article
    from bot.analyse import load_taxonomy
    from bot.format import render_post

    taxonomy = load_taxonomy()
    source = open(path, encoding="utf-8") if path else sys.stdin  # noqa: SIM115
    with source:
        for number, line in enumerate(source, start=1):
            if not line.strip():
                continue
            record, error = _article(line)
            if error:
                log.error("analyze: line %s skipped: %s", number, error)
                print(
                    json.dumps({"id": record.get("id"), "error": error}, ensure_ascii=False),
                    file=out,
                )
                continue
            title, text, url = (
                record.get("title") or "",
                record.get("text") or "",
                record.get("url"),
            )
            description = record.get("description") or record.get("summary")
            analysis = analyse_article(
                record.get("title"),
                text,
                taxonomy=taxonomy,
                description=description if isinstance(description, str) else None,
            )
            host = urlsplit(url).hostname if url else None
            post = render_post(title=title, link=url, source=host, analysis=analysis)
            result = {
                "id": record.get("id"),
                "is_election": analysis.is_election,
                "score": round(float(analysis.score), 3),
                "reasons": [asdict(r) for r in analysis.reasons],
                "quotes": [
                    {
                        "text": q.text,
                        "speaker": q.speaker,
                        "speaker_name": q.speaker_name,
                        "speaker_role": q.speaker_role,
                    }
                    for q in analysis.quotes
                ],
                "lead": analysis.lead or None,
                "post": post.html,
            }
            print(json.dumps(result, ensure_ascii=False), file=out)
    return 0


def parse_document(source: str, config_path: str | None, out: TextIO | None = None) -> int:
    """The parse stage on one document (a file, or a URL fetched with the project's fetcher
    and its limits): one JSON line per item, newest first; exit 1 when it is not usable."""
    from datetime import UTC
    from zoneinfo import ZoneInfo

    from bot.parse import parse_feed

    out = out or sys.stdout
    now = datetime.now(UTC)
    fetched = _read_document(source, config_path)
    if isinstance(fetched, str):
        print(f"Dokumen tidak bisa diambil: {fetched}", file=sys.stderr)
        return 1
    body, url, content_type = fetched
    parsed = parse_feed(body, url=url, content_type=content_type, now=now)
    if parsed.error:
        print(f"Dokumen tidak bisa dibaca: {parsed.error}", file=sys.stderr)
        return 1
    zone = ZoneInfo(parsed.site_zone or "Asia/Jakarta")
    for item in parsed.items:
        record = {
            "title": item.title,
            "link": item.link,
            "published": item.published.astimezone(zone).isoformat() if item.published else None,
            "text": item.text,
            "image": item.image,
        }
        print(json.dumps(record, ensure_ascii=False), file=out)
    log.info("parse: %s items from %s", len(parsed.items), url)
    return 0


def _read_document(source: str, config_path: str | None) -> tuple[bytes, str, str | None] | str:
    """(body, url, content type) of a file or a fetched URL, or what went wrong."""
    from pathlib import Path

    if source.lower().startswith(("http://", "https://")):
        return asyncio.run(_fetch_document(source, load_config(config_path)))
    path = Path(source)
    try:
        return path.read_bytes(), path.resolve().as_uri(), None
    except OSError as exc:
        return f"{source}: {exc.strerror or exc}"


async def _fetch_document(url: str, config: Config) -> tuple[bytes, str, str | None] | str:
    from bot.fetch import Fetcher

    async with Fetcher(config.fetch) as fetcher:
        result = await fetcher.fetch(url)
    if not result.ok or result.body is None:
        return result.error or f"HTTP {result.status}"
    return result.body, result.final_url or url, result.content_type


def _article(line: str) -> tuple[dict[str, Any], str | None]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return {}, f"not JSON ({exc.msg} at column {exc.colno})"
    if not isinstance(record, dict):
        return {}, "not a JSON object"
    if not isinstance(record.get("text"), str):
        return record, "missing 'text' string"
    if record.get("title") is not None and not isinstance(record["title"], str):
        return record, "'title' must be a string or null"
    return record, None


def audit(
    config: Config,
    *,
    since: str | None,
    fmt: str,
    until: str | None = None,
    actor: str = "",
    kind: str = "",
    out: TextIO | None = None,
) -> int:
    """The accountability record (bot.services.history), oldest first: every admin action,
    delivery, review, pause, retraction and correction; a day is a day in the config's
    timezone."""
    from bot.export import write_csv
    from bot.services.base import OPERATOR
    from bot.services.history import FIELDS, KINDS, HistoryQuery

    if kind and kind not in KINDS:
        print(f"Jenis --kind tidak dikenal: {kind} (pilih {', '.join(KINDS)})", file=sys.stderr)
        return 2
    try:
        start = parse_moment(since) if since else None
        end = parse_moment(until) if until else None
    except ValueError as exc:
        print(f"Tanggal --since/--until tidak dikenal: {exc}", file=sys.stderr)
        return 2
    query = HistoryQuery(since=start, until=end, actor=actor, kind=kind)
    out = out or sys.stdout
    with operator_services(config) as services:
        rows = granted(asyncio.run(services.history.export(query, OPERATOR)))
    if fmt == "json":
        for row in rows:
            print(json.dumps(row, ensure_ascii=False), file=out)
    else:
        write_csv(rows, FIELDS, out)
    return 0


def parse_moment(text: str) -> date | datetime:
    """A day (2024-02-01) or a moment (2024-02-01T08:00; without an offset, in the config's
    timezone)."""
    text = text.strip()
    return date.fromisoformat(text) if len(text) <= 10 else datetime.fromisoformat(text)


def retention(config: Config, out: TextIO | None = None) -> int:
    """Apply retention.personal_data now (bot.services.history; the service does it daily)."""
    from bot.services.base import OPERATOR

    with operator_services(config) as services:
        done = granted(asyncio.run(services.history.apply_retention(OPERATOR)))
    out = out or sys.stdout
    print(
        f"Masa simpan {done.days} hari diterapkan: "
        f"{done.audit} catatan admin dianonimkan, {done.delivery_log} log kiriman "
        f"dianonimkan, {done.subscribers} pelanggan lama dihapus.",
        file=out,
    )
    return 0


def db_copy(source: str, target: str, out: TextIO | None = None) -> int:
    """Copy every table into an empty database, printing progress per table."""
    from sqlalchemy.exc import SQLAlchemyError

    from bot.settings import check_database_url
    from bot.storage.copy import CopyRefused, copy_database

    out = out or sys.stdout
    try:
        for url in (source, target):
            check_database_url(url)
    except ValueError as exc:
        print(f"Salin dibatalkan: {exc}", file=sys.stderr)
        return 2

    def progress(table: str, done: int, total: int) -> None:
        print(f"{table}: {done}/{total} baris", file=out, flush=True)

    try:
        copied = copy_database(source, target, progress=progress)
    except CopyRefused as exc:
        print(f"Salin dibatalkan: {exc}. Tidak ada yang diubah.", file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        log.error("db copy failed error=%s", type(exc).__name__)
        print(f"Salin gagal, tidak ada yang disalin: {_short(exc)}", file=sys.stderr)
        return 1
    rows = sum(table.rows for table in copied)
    print(f"Selesai: {rows} baris dari {len(copied)} tabel disalin.", file=out)
    return 0


def _short(exc: Exception) -> str:
    """The driver's first line, without the SQL and parameters SQLAlchemy appends."""
    cause = getattr(exc, "orig", None) or exc
    return str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__


def _why_inactive(row: ChannelDeliveries) -> str:
    if row.inactive_reason:
        return inactive_reason(row.inactive_reason, "id")
    return row.last_error or ""
