"""The one typed configuration object, loaded from YAML and validated by pydantic.

Durations accept seconds (``300``) or a string with a unit (``"5m"``, ``"24h"``, ``"2d"``).
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

if TYPE_CHECKING:
    from bot.editorial.caps import Caps
    from bot.editorial.routing import Route

DEFAULT_CONFIG_PATH = "config/humasbot.yaml"
DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_API_BASE_FILE_URL = "https://api.telegram.org/file/bot"

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.IGNORECASE)


def _to_timedelta(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return timedelta(seconds=value)
    if isinstance(value, str):
        match = _DURATION.match(value)
        if not match:
            raise ValueError(f"durasi tidak dikenal {value!r}: pakai detik atau mis. '5m', '24h'")
        number, unit = match.groups()
        return timedelta(seconds=float(number) * _UNITS[(unit or "s").lower()])
    return value


Duration = Annotated[timedelta, BeforeValidator(_to_timedelta)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


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
        from bot.editorial.caps import QuietHours

        if value is not None:
            QuietHours.parse(value)
        return value

    def route(self) -> Route:
        from bot.editorial.routing import Route

        return Route(
            topics=frozenset(self.topics),
            regions=frozenset(self.regions),
            feeds=frozenset(self.feeds),
            min_score=self.min_score,
            allow_sources=frozenset(self.allow_sources),
            block_sources=frozenset(self.block_sources),
        )

    def caps(self) -> Caps:
        from bot.editorial.caps import Caps, QuietHours

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

    @field_validator("chat_id")
    @classmethod
    def _chat_id(cls, value: int | str) -> int | str:
        if isinstance(value, str) and not re.match(r"^@[A-Za-z0-9_]{4,}$", value):
            if re.match(r"^-?\d+$", value):
                return int(value)
            raise ValueError("harus ID numerik atau @username")
        return value


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
    window: Duration = timedelta(hours=48)  # how far back a story is remembered
    note_sources: bool = True  # the post names the other sources ("Juga diberitakan: ...")


class ReviewConfig(_Strict):
    expire_after: Duration = timedelta(hours=12)  # an unreviewed post expires
    sources: list[str] = []  # domains whose items always need review, even in auto mode
    terms: list[str] = []  # words or phrases whose items always need review


class RetentionConfig(_Strict):
    """How long personal data (user ids of subscribers and admins in the records) is kept."""

    personal_data: Duration = timedelta(days=365)


PAID_BROADCAST_PER_SECOND = 1000  # Telegram's limit with allow_paid_broadcast


class TelegramConfig(_Strict):
    api_base_url: str = DEFAULT_API_BASE_URL
    api_base_file_url: str = DEFAULT_API_BASE_FILE_URL
    global_per_second: float = Field(30, gt=0)
    group_per_minute: float = Field(20, gt=0)
    chat_per_second: float = Field(1.0, gt=0)
    max_in_flight: int = Field(8, ge=1)
    max_attempts: int = Field(8, ge=1)  # transient failures before a delivery is marked failed
    # Broadcasts paid in Telegram Stars: global_per_second defaults to 1000 instead of 30.
    allow_paid_broadcast: bool = False
    claim_size: int = Field(16, ge=1)  # outbox rows a worker holds at once
    retry_backoff: Duration = timedelta(seconds=5)  # after a transient failure; doubles, <= 15m
    claim_lease: Duration = timedelta(seconds=60)  # a worker silent this long is dead
    delivery_log_keep: Duration = timedelta(days=30)

    @model_validator(mode="before")
    @classmethod
    def _paid_broadcast_rate(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("allow_paid_broadcast") is True:
            data = {"global_per_second": PAID_BROADCAST_PER_SECOND, **data}
        return data


class InstancesConfig(_Strict):
    """Several `humasbot run` sharing one PostgreSQL database (see README): the work one instance
    does at a time (receiving updates, firing schedules, sending) goes to the holder of a lease
    row, renewed every ``renew_every``; a holder silent for ``lease`` is replaced. A feed check
    an instance claimed is its own for ``feed_lease``, renewed while the check runs."""

    lease: Duration = timedelta(seconds=10)
    renew_every: Duration = timedelta(seconds=3)
    feed_lease: Duration = timedelta(minutes=2)

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
    max_item_age: Duration = timedelta(hours=24)
    poll_tick: Duration = timedelta(seconds=30)  # how often the scheduler looks for due feeds
    latest_default: int = Field(5, ge=1, le=10)
    schedule_grace: Duration = timedelta(minutes=15)  # a schedule missed while down: sent late
    admins: list[int] = []
    admin_chat_id: int | None = None
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
    instances: InstancesConfig = InstancesConfig()

    @field_validator("database")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        return check_database_url(value)

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
        from bot.editorial.regions import load_gazetteer

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


class ConfigError(Exception):
    """The configuration cannot be used; the message names the key and what is wrong."""


def _describe(error: ValidationError) -> str:
    lines = []
    for problem in error.errors():
        key = ".".join(str(part) for part in problem["loc"]) or "(root)"
        message = problem["msg"]
        if problem["type"] == "extra_forbidden":
            message = "kunci tidak dikenal"
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
        text = file.read_text(encoding="utf-8")
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


def bot_token() -> str | None:
    """The bot token, only ever from the environment."""
    token = os.environ.get("TELEGRAM_BOT_TOKEN", "").strip()
    return token or None
