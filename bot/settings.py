"""The one typed configuration object, loaded from YAML and validated by pydantic.

Durations accept seconds (``300``) or a string with a unit (``"5m"``, ``"24h"``, ``"2d"``).
"""

from __future__ import annotations

import math
import os
import re
from datetime import timedelta
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

# The config turns YAML into the editorial rules' plain values (editorial imports nothing of
# the config); the place names are data read from files (bot.places).
from bot.editorial.caps import Caps, QuietHours
from bot.editorial.routing import Route
from bot.places import load_gazetteer

DEFAULT_CONFIG_PATH = "config/humasbot.yaml"
DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_API_BASE_FILE_URL = "https://api.telegram.org/file/bot"

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.IGNORECASE)
MAX_DURATION = timedelta(days=3650)  # longer ones overflow date arithmetic sooner or later


def _to_timedelta(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("durasi harus angka detik atau teks seperti '5m', '24h'")
    if isinstance(value, str):
        match = _DURATION.match(value)
        if not match:
            raise ValueError(f"durasi tidak dikenal {value!r}: pakai detik atau mis. '5m', '24h'")
        number, unit = match.groups()
        value = float(number) * _UNITS[(unit or "s").lower()]
    if isinstance(value, int | float):
        try:
            seconds = float(value)
        except OverflowError:
            seconds = math.inf
        if not math.isfinite(seconds) or abs(seconds) > MAX_DURATION.total_seconds():
            raise ValueError(f"durasi terlalu panjang: paling lama {MAX_DURATION.days} hari")
        if seconds < 0:
            raise ValueError("durasi tidak boleh negatif")
        return timedelta(seconds=seconds)
    return value


def _positive(value: timedelta) -> timedelta:
    if value <= timedelta(0):
        raise ValueError("durasi harus lebih dari 0")
    return value


Duration = Annotated[timedelta, BeforeValidator(_to_timedelta)]  # 0 to 10 years
PositiveDuration = Annotated[timedelta, BeforeValidator(_to_timedelta), AfterValidator(_positive)]


def _user_id(value: Any) -> int:
    from bot.ids import telegram_id

    return telegram_id(value, negative=False)


def _chat_id_number(value: Any) -> int:
    from bot.ids import telegram_id

    return telegram_id(value)


UserId = Annotated[int, BeforeValidator(_user_id)]
ChatId = Annotated[int, BeforeValidator(_chat_id_number)]


class _Strict(BaseModel):
    # no .inf or .nan anywhere: a rate or a limit of infinity crashes the pacer
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class FeedConfig(_Strict):
    url: str
    name: str | None = None
    interval: Duration = timedelta(minutes=5)
    enabled: bool = True
    fulltext: bool = False  # fetch the article page when the entry carries only a summary

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not re.match(r"^(https?|file)://", value):
            raise ValueError("harus URL http://, https:// atau file://")
        return value

    @field_validator("interval")
    @classmethod
    def _min_interval(cls, value: timedelta) -> timedelta:
        if value < timedelta(minutes=1):
            raise ValueError("interval minimal 1 menit")
        return value


class ChannelConfig(_Strict):
    chat_id: int | str  # numeric id or @username
    name: str | None = None
    template: str | None = None  # a packaged layout's name (standar, ringkas, kutipan) or text
    mode: Literal["auto", "review"] = "auto"  # review: an admin approves each post first
    # Routing: what the channel takes (empty = no restriction).
    topics: list[str] = []
    regions: list[str] = []  # place ids from bot/data/places.yaml, e.g. balikpapan, kaltim
    feeds: list[str] = []  # feed URLs
    min_score: float = 0.0
    allow_sources: list[str] = []  # domains, e.g. kaltimprov.go.id
    block_sources: list[str] = []
    # Pace: what exceeds these waits for the next allowed slot.
    max_per_hour: int | None = Field(None, ge=1)
    max_per_day: int | None = Field(None, ge=1)
    quiet_hours: str | None = None  # e.g. "22.00-05.00", in the config timezone

    @field_validator("quiet_hours")
    @classmethod
    def _quiet_hours(cls, value: str | None) -> str | None:
        if value is not None:
            QuietHours.parse(value)
        return value

    def route(self) -> Route:
        return Route(
            topics=frozenset(self.topics),
            regions=frozenset(self.regions),
            feeds=frozenset(self.feeds),
            min_score=self.min_score,
            allow_sources=frozenset(self.allow_sources),
            block_sources=frozenset(self.block_sources),
        )

    def caps(self) -> Caps:
        quiet = QuietHours.parse(self.quiet_hours) if self.quiet_hours else None
        return Caps(self.max_per_hour, self.max_per_day, quiet)

    @field_validator("template")
    @classmethod
    def _usable_template(cls, value: str | None) -> str | None:
        from bot.format import builtin_templates, check_template

        if value is None or value in builtin_templates():
            return value
        if "$" not in value:
            names = ", ".join(sorted(builtin_templates()))
            raise ValueError(
                f"template {value!r} tidak dikenal: pakai {names} atau teks dengan $headline"
            )
        check_template(value)
        return value

    @property
    def template_text(self) -> str | None:
        from bot.format import builtin_templates

        return builtin_templates().get(self.template or "", self.template)

    @field_validator("chat_id", mode="before")
    @classmethod
    def _chat_id(cls, value: Any) -> int | str:
        from bot.ids import chat_ref

        return chat_ref(value)


class FetchConfig(_Strict):
    allow_private_addresses: bool = False
    connect_timeout: float = Field(5.0, gt=0)
    timeout: float = Field(20.0, gt=0)  # the whole response
    max_bytes: int = Field(5 * 1024 * 1024, gt=0)
    max_redirects: int = Field(5, ge=0)
    max_concurrency: int = Field(20, ge=1)
    per_host: int = Field(2, ge=1)
    user_agent: str = "humasbot/0.1 (+https://github.com/humasbot)"


class DedupeConfig(_Strict):
    """One story, one post: duplicates across feeds are posted once (see bot.pipeline.dedupe)."""

    enabled: bool = True
    threshold: float = Field(0.6, gt=0, le=1)  # MinHash Jaccard of word 3-grams
    window: PositiveDuration = timedelta(hours=48)  # how far back a story is remembered
    note_sources: bool = True  # the post names the other sources ("Juga diberitakan: ...")


class ReviewConfig(_Strict):
    expire_after: PositiveDuration = timedelta(hours=12)  # an unreviewed post expires
    sources: list[str] = []  # domains whose items always need review, even in auto mode
    terms: list[str] = []  # words or phrases whose items always need review


class RetentionConfig(_Strict):
    """How long personal data (user ids of subscribers and admins in the records) is kept."""

    personal_data: PositiveDuration = timedelta(days=365)


PAID_BROADCAST_PER_SECOND = 1000  # Telegram's limit with allow_paid_broadcast


class TelegramConfig(_Strict):
    api_base_url: str = DEFAULT_API_BASE_URL
    api_base_file_url: str = DEFAULT_API_BASE_FILE_URL
    global_per_second: float = Field(30, gt=0)
    group_per_minute: float = Field(20, gt=0)
    chat_per_second: float = Field(1.0, gt=0)
    # Whether the ~1 a second pace (bursts of 3) holds in groups and channels too, beside their
    # 20 a minute. Telegram does not publish it; off, a channel takes 20 posts at once.
    chat_pace_in_groups: bool = True
    max_in_flight: int = Field(8, ge=1)
    max_attempts: int = Field(8, ge=1)  # transient failures before a delivery is marked failed
    # Broadcasts paid in Telegram Stars: global_per_second defaults to 1000 instead of 30.
    allow_paid_broadcast: bool = False
    claim_size: int = Field(16, ge=1)  # outbox rows a worker holds at once
    # after a transient failure; doubles, <= 15m
    retry_backoff: PositiveDuration = timedelta(seconds=5)
    claim_lease: PositiveDuration = timedelta(seconds=60)  # a worker silent this long is dead
    delivery_log_keep: PositiveDuration = timedelta(days=30)
    # Webhook mode: the public https URL Telegram posts updates to (the secret: the environment).
    webhook_url: str | None = None

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^/\s]+(/\S*)?$", value):
            raise ValueError("harus URL https://host/jalur tempat Telegram mengirim pembaruan")
        return value

    @model_validator(mode="before")
    @classmethod
    def _paid_broadcast_rate(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("allow_paid_broadcast") is True:
            data = {"global_per_second": PAID_BROADCAST_PER_SECOND, **data}
        return data


def parse_listen(value: str) -> tuple[str, int]:
    """'HOST:PORT' (IPv6 in brackets: '[::1]:8080') -> (host, port)."""
    host, sep, port = value.rpartition(":")
    host = host.removeprefix("[").removesuffix("]")
    if not sep or not host or not port.isdigit() or not 1 <= int(port) <= 65535:
        raise ValueError(f"{value!r} harus HOST:PORT, mis. '0.0.0.0:8080' atau '127.0.0.1:9100'")
    return host, int(port)


class HttpConfig(_Strict):
    """The HTTP server of `humasbot run` (webhook, /healthz, /readyz, /metrics, the panel)."""

    listen: str | None = None  # "HOST:PORT"; absent: no server
    # The address people open (the panel's login links start with it); absent: http://listen
    public_url: str | None = None

    @field_validator("listen")
    @classmethod
    def _listen(cls, value: str | None) -> str | None:
        if value is not None:
            parse_listen(value)
        return value

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not re.match(r"^https?://[^/\s?#]+(/[^\s?#]*)?$", value):
            raise ValueError("harus alamat http(s)://host[/jalur] tanpa ? atau #")
        return value.rstrip("/")

    def panel_base(self) -> str | None:
        """Where the panel's links point: public_url, else the listen address; None without a
        server."""
        if self.public_url:
            return self.public_url
        if not self.listen:
            return None
        host, port = parse_listen(self.listen)
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}"


class LogConfig(_Strict):
    format: Literal["text", "json"] = "text"  # json: one object a line


class InstancesConfig(_Strict):
    """Several `humasbot run` sharing one PostgreSQL database (see README): the work one instance
    does at a time (receiving updates, firing schedules, sending) goes to the holder of a lease
    row, renewed every ``renew_every``; a holder silent for ``lease`` is replaced. A feed check
    an instance claimed is its own for ``feed_lease``, renewed while the check runs."""

    lease: PositiveDuration = timedelta(seconds=10)
    renew_every: PositiveDuration = timedelta(seconds=3)
    feed_lease: PositiveDuration = timedelta(minutes=2)

    @model_validator(mode="after")
    def _renewed_in_time(self) -> InstancesConfig:
        if self.renew_every * 2 > self.lease:
            raise ValueError("renew_every harus paling lama separuh dari lease")
        return self


_DATABASE_DRIVERS = ("sqlite", "postgresql+psycopg")


def check_database_url(value: str) -> str:
    """A SQLAlchemy URL of a backend humasbot supports: SQLite, or PostgreSQL through psycopg 3."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(value)
    except ArgumentError:
        raise ValueError(
            "URL basis data tidak valid: pakai sqlite:///BERKAS atau "
            "postgresql+psycopg://PENGGUNA@HOST:PORT/NAMA"
        ) from None
    if url.drivername not in _DATABASE_DRIVERS:
        raise ValueError(
            f"basis data {url.drivername!r} tidak didukung: pakai sqlite:///BERKAS atau "
            "postgresql+psycopg://PENGGUNA@HOST:PORT/NAMA"
        )
    if url.drivername != "sqlite" and not url.database:
        raise ValueError("URL PostgreSQL harus menyebut nama basis data (…/NAMA)")
    return value


class Config(_Strict):
    database: str = "sqlite:///humasbot.db"
    timezone: str = "Asia/Makassar"
    language: str = "id"
    max_item_age: PositiveDuration = timedelta(hours=24)
    poll_tick: PositiveDuration = timedelta(seconds=30)  # how often due feeds are looked for
    latest_default: int = Field(5, ge=1, le=10)
    schedule_grace: Duration = timedelta(minutes=15)  # a schedule missed while down: sent late
    admins: list[UserId] = []
    admin_chat_id: ChatId | None = None
    taxonomy: str | None = None  # path to a taxonomy YAML overriding the packaged one
    feeds: list[FeedConfig] = []
    channels: list[ChannelConfig] = []
    fetch: FetchConfig = FetchConfig()
    dedupe: DedupeConfig = DedupeConfig()
    parse_workers: int = Field(2, ge=0, le=16)  # processes for parsing and analysis; 0 = a thread
    review: ReviewConfig = ReviewConfig()
    places: str | None = None  # path to a places YAML extending the packaged place names
    retention: RetentionConfig = RetentionConfig()
    telegram: TelegramConfig = TelegramConfig()
    http: HttpConfig = HttpConfig()
    log: LogConfig = LogConfig()
    instances: InstancesConfig = InstancesConfig()

    @model_validator(mode="after")
    def _webhook_needs_server(self) -> Config:
        if self.telegram.webhook_url and not self.http.listen:
            raise ValueError("telegram.webhook_url butuh http.listen: server yang menerima webhook")
        if self.http.public_url and not self.http.listen:
            raise ValueError("http.public_url butuh http.listen: server yang melayani panel")
        return self

    @field_validator("database")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        from bot.storage.db import check_driver_installed

        return check_driver_installed(check_database_url(value))

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        from bot import i18n

        if value not in i18n.catalogue():
            known = ", ".join(sorted(i18n.catalogue()))
            raise ValueError(f"bahasa {value!r} tidak tersedia: pakai {known}")
        return value

    @field_validator("poll_tick")
    @classmethod
    def _min_tick(cls, value: timedelta) -> timedelta:
        if value < timedelta(seconds=1):
            raise ValueError("poll_tick minimal 1 detik")
        return value

    @field_validator("taxonomy")
    @classmethod
    def _readable_taxonomy(cls, value: str | None) -> str | None:
        from bot.analyse import load_taxonomy

        if value is not None:
            load_taxonomy(value)  # TaxonomyError (a ValueError) names the file and the problem
        return value

    @field_validator("places")
    @classmethod
    def _readable_places(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                load_gazetteer(value)
            except OSError as exc:
                raise ValueError(f"{value}: tidak bisa dibaca: {exc.strerror or exc}") from None
            except (yaml.YAMLError, AttributeError, TypeError) as exc:
                raise ValueError(f"{value}: bukan daftar tempat YAML yang valid ({exc})") from None
        return value

    @field_validator("channels")
    @classmethod
    def _one_entry_per_chat(cls, value: list[ChannelConfig]) -> list[ChannelConfig]:
        from bot.ids import chat_key

        seen: dict[str, int] = {}
        for index, channel in enumerate(value):
            first = seen.setdefault(chat_key(channel.chat_id), index)
            if first != index:
                raise ValueError(
                    f"chat_id {channel.chat_id} dipakai dua kali: channels.{first} "
                    f"({_entry(value[first])}) dan channels.{index} ({_entry(channel)}); "
                    "satukan jadi satu entri"
                )
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"zona waktu tidak dikenal: {value!r}") from exc
        return value

    @model_validator(mode="after")
    def _known_regions(self) -> Config:
        wanted = {r for channel in self.channels for r in channel.regions}
        if wanted:
            try:
                gazetteer = load_gazetteer(self.places)
            except (OSError, ValueError) as exc:
                raise ValueError(f"places: {exc}") from None
            if unknown := sorted(r for r in wanted if not gazetteer.known(r)):
                raise ValueError(f"channels[].regions: wilayah tidak dikenal {', '.join(unknown)}")
        return self

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def _entry(channel: ChannelConfig) -> str:
    return f"{channel.name or 'tanpa nama'}, mode {channel.mode}"


class ConfigError(Exception):
    """The configuration cannot be used; the message names the key and what is wrong."""


class BotUnusable(Exception):
    """Telegram rejects the token, or the Bot API server does not answer: the service cannot
    start. The message is one line for the operator."""


def _describe(error: ValidationError) -> str:
    lines = []
    for problem in error.errors():
        key = ".".join(str(part) for part in problem["loc"]) or "(root)"
        message = problem["msg"]
        if problem["type"] == "extra_forbidden":
            message = "kunci tidak dikenal"
        elif problem["type"] == "value_error":  # our own validators' words, without pydantic's
            message = str(problem.get("ctx", {}).get("error", message))
        lines.append(f"{key}: {message}")
    return "; ".join(lines)


def parse_config(data: Any, source: str = "config") -> Config:
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: isi berkas harus berupa pemetaan YAML (key: value)")
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{source}: {_describe(exc)}") from None


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    """Load the config from ``path``, $HUMASBOT_CONFIG, ``config/humasbot.yaml``, or the packaged
    default (in that order), then apply the environment overrides."""
    chosen = path or os.environ.get("HUMASBOT_CONFIG")
    if chosen is None and Path(DEFAULT_CONFIG_PATH).is_file():
        chosen = DEFAULT_CONFIG_PATH
    if chosen is None:
        text = resources.files("bot.data").joinpath("humasbot.yaml").read_text(encoding="utf-8")
        source = "default config"
    else:
        file = Path(chosen)
        if not file.is_file():
            raise ConfigError(f"{file}: berkas konfigurasi tidak ditemukan")
        try:
            text = file.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise ConfigError(f"{file}: bukan berkas teks UTF-8 (YAML)") from None
        except OSError as exc:
            raise ConfigError(f"{file}: tidak bisa dibaca: {exc.strerror or exc}") from None
        source = str(file)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{source}: YAML tidak valid: {exc}") from None
    return with_environment(parse_config(data, source))


def with_environment(config: Config) -> Config:
    """Apply HUMASBOT_DATABASE, TELEGRAM_API_BASE_URL and TELEGRAM_API_BASE_FILE_URL over the
    file's values (a database URL may hold a password: it belongs in the environment)."""
    if database := os.environ.get("HUMASBOT_DATABASE", "").strip():
        try:
            check_database_url(database)
        except ValueError as exc:
            raise ConfigError(f"HUMASBOT_DATABASE: {exc}") from None
        config = config.model_copy(update={"database": database})
    overrides = {}
    if url := os.environ.get("TELEGRAM_API_BASE_URL"):
        overrides["api_base_url"] = url
    if url := os.environ.get("TELEGRAM_API_BASE_FILE_URL"):
        overrides["api_base_file_url"] = url
    if not overrides:
        return config
    return config.model_copy(update={"telegram": config.telegram.model_copy(update=overrides)})


WEBHOOK_SECRET_SHAPE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")  # what Telegram accepts


def webhook_secret() -> str | None:
    """The webhook's secret token, only ever from the environment."""
    secret = os.environ.get("TELEGRAM_WEBHOOK_SECRET", "").strip()
    return secret or None


def bot_token() -> str | None:
    """The bot token, only ever from the environment."""
    token = os.environ.get("TELEGRAM_BOT_TOKEN", "").strip()
    return token or None
