"""The `humasbot` command line: demo, run, poll, analyze, parse, check-config, db copy, ..."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence

from bot import __version__
from bot.log import setup_logging
from bot.settings import (
    WEBHOOK_SECRET_SHAPE,
    BotUnusable,
    Config,
    ConfigError,
    bot_token,
    load_config,
    webhook_secret,
)

log = logging.getLogger("bot.cli")

NO_TOKEN = (
    "TELEGRAM_BOT_TOKEN belum diisi: isi variabel lingkungan itu dengan token dari @BotFather "
    "(TELEGRAM_BOT_TOKEN is not set)."
)
NO_WEBHOOK_SECRET = (
    "TELEGRAM_WEBHOOK_SECRET belum diisi: mode webhook (telegram.webhook_url) butuh rahasia "
    "1-256 karakter A-Z a-z 0-9 _ - di variabel lingkungan itu "
    "(TELEGRAM_WEBHOOK_SECRET is not set or not 1-256 of A-Z a-z 0-9 _ -)."
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="humasbot", description="Bot distribusi berita pemilu untuk humas."
    )
    parser.add_argument("--version", action="version", version=f"humasbot {__version__}")
    parser.add_argument(
        "--config",
        help="berkas konfigurasi YAML (bawaan: $HUMASBOT_CONFIG atau config/humasbot.yaml)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log lebih rinci")
    commands = parser.add_subparsers(dest="command", required=True, metavar="PERINTAH")
    commands.add_parser(
        "demo", help="satu siklus penuh dengan umpan contoh, hasil ke layar (tanpa token)"
    )
    commands.add_parser("run", help="layanan: bot + penjadwal (butuh TELEGRAM_BOT_TOKEN)")
    poll = commands.add_parser("poll", help="satu siklus ambil-analisis-kirim lalu selesai")
    poll.add_argument("--once", action="store_true", required=True, help="satu siklus saja")
    poll.add_argument(
        "--all", action="store_true", help="ambil semua umpan aktif, jatuh tempo atau tidak"
    )
    analyze = commands.add_parser("analyze", help="analisis artikel JSON Lines (stdin atau FILE)")
    analyze.add_argument("file", nargs="?", help="berkas JSON Lines; bawaan stdin")
    parse = commands.add_parser(
        "parse", help="tahap parse pada satu dokumen (FILE atau URL): satu baris JSON per item"
    )
    parse.add_argument("source", metavar="FILE|URL", help="berkas umpan, atau alamat http(s)")
    check = commands.add_parser("check-config", help="periksa berkas konfigurasi")
    check.add_argument("path", nargs="?", help="berkas konfigurasi")
    feeds = commands.add_parser("feeds", help="kesehatan setiap umpan")
    feeds.add_argument("--json", action="store_true", help="satu baris JSON per umpan")
    deliveries = commands.add_parser(
        "deliveries", help="pengiriman per kanal: terkirim, antre, gagal"
    )
    deliveries.add_argument("--json", action="store_true", help="satu baris JSON per kanal")
    channels = commands.add_parser(
        "channels", help="kelola kanal: enable CHAT_ID mengaktifkan lagi"
    )
    channels.add_argument("action", choices=["enable"], help="enable: aktifkan lagi kanal")
    channels.add_argument("chat_id", help="ID numerik atau @username kanal")
    audit = commands.add_parser(
        "audit", help="catatan akuntabilitas: tindakan admin, pengiriman, tinjauan, koreksi"
    )
    audit.add_argument("--since", help="sejak tanggal, mis. 2024-02-01 (zona waktu konfigurasi)")
    audit.add_argument(
        "--until", help="sampai tanggal itu, termasuk, mis. 2024-02-29 (atau sebelum jam itu)"
    )
    audit.add_argument("--actor", default="", help="hanya yang pelakunya memuat teks ini")
    audit.add_argument(
        "--kind",
        default="",
        help="hanya satu jenis: admin, delivery, review, pause, retraction, correction",
    )
    audit.add_argument("--format", choices=["csv", "json"], default="csv", help="bawaan csv")
    commands.add_parser(
        "retention", help="terapkan masa simpan data pribadi (retention.personal_data) sekarang"
    )
    database = commands.add_parser("db", help="basis data: copy FROM_URL TO_URL menyalin semuanya")
    db_actions = database.add_subparsers(dest="db_action", required=True, metavar="AKSI")
    copy = db_actions.add_parser(
        "copy", help="salin semua tabel ke basis data lain yang masih kosong (mis. ke PostgreSQL)"
    )
    copy.add_argument("source", metavar="FROM_URL", help="URL sumber, mis. sqlite:///humasbot.db")
    copy.add_argument(
        "target",
        metavar="TO_URL",
        help="URL tujuan, mis. postgresql+psycopg://humasbot@db/humasbot",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # Opt in to python-telegram-bot 22's timedelta retry_after (silences its deprecation path).
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    redact = setup_logging(bot_token(), verbose=args.verbose, secrets=_secrets())
    try:
        return _dispatch(args)
    except ConfigError as exc:
        print(redact(f"Konfigurasi salah: {exc}"), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BotUnusable as exc:
        print(redact(str(exc)), file=sys.stderr)
        return 2
    except Exception:
        # through the logger, whose formatter masks the token in the traceback too
        log.exception("humasbot berhenti: galat tak terduga")
        return 1


def _dispatch(args: argparse.Namespace) -> int:
    from bot import commands

    if args.command == "analyze":
        return commands.analyze(args.file)
    if args.command == "demo":
        return commands.demo()
    if args.command == "check-config":
        return commands.check_config(args.path or args.config)
    if args.command == "db":
        return commands.db_copy(args.source, args.target)
    if args.command == "parse":
        return commands.parse_document(args.source, args.config)
    config = load_config(args.config)
    if config.log.format != "text":
        setup_logging(bot_token(), verbose=args.verbose, fmt=config.log.format, secrets=_secrets())
    if args.command == "feeds":
        return commands.feeds(config, as_json=args.json)
    if args.command == "deliveries":
        return commands.deliveries(config, as_json=args.json)
    if args.command == "channels":
        return commands.enable_channel(config, args.chat_id)
    if args.command == "audit":
        return commands.audit(
            config,
            since=args.since,
            until=args.until,
            actor=args.actor,
            kind=args.kind,
            fmt=args.format,
        )
    if args.command == "retention":
        return commands.retention(config)
    token = bot_token()
    if token is None:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    if args.command == "poll":
        return asyncio.run(commands.poll_once(config, token, every=args.all))
    secret = webhook_secret()
    if not _webhook_ready(config, secret):
        print(NO_WEBHOOK_SECRET, file=sys.stderr)
        return 2
    return commands.run(config, token, secret)


def _webhook_ready(config: Config, secret: str | None) -> bool:
    if not config.telegram.webhook_url:
        return True
    return secret is not None and WEBHOOK_SECRET_SHAPE.match(secret) is not None


def _secrets() -> list[str]:
    return [secret for secret in (webhook_secret(),) if secret]
