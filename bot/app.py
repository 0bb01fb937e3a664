"""`humasbot run`: the bot answering commands and the scheduler polling feeds.

Updates come from an `UpdateSource`: `Polling` (getUpdates) or `Webhook` (Telegram POSTs to the
HTTP server). `serve` starts the Application, the source and the HTTP server, in that order.

Several such processes may share one PostgreSQL database: every one polls feeds (each due feed
is claimed by one), and the work that must be done by one at a time goes to the holder of a
role (bot.roles): ``updates`` (the update source, when it is long polling), ``scheduler``
(schedules, review notices, retention) and ``sender`` (the outbox). A webhook needs no role:
every instance behind the load balancer takes the updates it is given.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, Protocol
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url
from starlette.applications import Starlette
from starlette.routing import BaseRoute
from telegram.ext import Application, ApplicationBuilder

from bot import handlers
from bot.broadcast.scheduler import BroadcastScheduler
from bot.deliver.request import CountingRequest
from bot.deliver.telegram import TelegramSink
from bot.handlers import UPDATE_TYPES
from bot.handlers.chats import TelegramChats
from bot.handlers.context import CONTEXT_TYPES, BotData, HumasContext
from bot.handlers.menu import set_menus
from bot.http.health import Readiness
from bot.http.metrics import Metrics
from bot.http.server import HttpServer, create_app
from bot.http.webhook import webhook_route
from bot.panel import panel_routes
from bot.panel.desk import desk_of
from bot.pipeline.outbox import DeliveryWorker
from bot.roles import SCHEDULER, SENDER, UPDATES, Roles
from bot.services import Services
from bot.services.base import MAINTENANCE
from bot.settings import Config

log = logging.getLogger(__name__)

CONCURRENT_UPDATES = 64

App = Application[Any, Any, Any, Any, BotData, Any]


async def poll_job(context: HumasContext) -> None:
    """The one repeating job: poll the feeds that are due, then wake the delivery worker."""
    services = context.bot_data.services
    async with context.bot_data.polling:
        report = await services.pipeline.poll()
        if context.bot_data.roles.holds(SCHEDULER):
            await services.after_poll()
    services.last_poll_at = datetime.now(UTC)
    if report.queued:
        services.wakeup()


async def retention_job(context: HumasContext) -> None:
    """Daily: forget personal data older than retention.personal_data (UU PDP 27/2022)."""
    if not context.bot_data.roles.holds(SCHEDULER):
        return
    await context.bot_data.services.history.apply_retention(MAINTENANCE)


def build_application(config: Config, token: str, *, polling: bool = True) -> App:
    """The Application; without `polling` it has no updater (updates come from the webhook)."""
    metrics = Metrics(make_url(config.database).get_backend_name())
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(config.telegram.api_base_url)
        .base_file_url(config.telegram.api_base_file_url)
        .context_types(CONTEXT_TYPES)
        .post_init(_post_init)  # serve() calls these two itself, as run_polling would
        .post_shutdown(_post_shutdown)
        .request(CountingRequest(metrics, connection_pool_size=256))
        # One user's slow command (a paced reply, a feed check) never holds up anyone else's.
        .concurrent_updates(CONCURRENT_UPDATES)
    )
    if polling:
        builder = builder.get_updates_request(CountingRequest(metrics, connection_pool_size=1))
    else:
        builder = builder.updater(None)
    app: App = builder.build()
    app.bot_data.config = config
    app.bot_data.metrics = metrics
    handlers.register(app)
    return app


class UpdateSource(Protocol):
    """Where updates come from: long polling, or Telegram pushing them to the webhook. A source
    that `polls` is run by one instance at a time (two long pollers make Telegram answer 409 to
    each other): the one holding the ``updates`` role."""

    polls: bool

    def routes(self, app: App) -> list[BaseRoute]: ...

    async def start(self, app: App) -> None: ...

    async def stop(self, app: App) -> None: ...


class Polling:
    """Long polling (getUpdates); python-telegram-bot deletes any webhook before it starts."""

    polls = True

    def routes(self, app: App) -> list[BaseRoute]:
        return []

    async def start(self, app: App) -> None:
        assert app.updater is not None
        await app.updater.start_polling(allowed_updates=UPDATE_TYPES, drop_pending_updates=False)

    async def stop(self, app: App) -> None:
        if app.updater is not None and app.updater.running:
            await app.updater.stop()


class Webhook:
    """Telegram POSTs updates to `url`; every instance behind the load balancer takes them."""

    polls = False

    def __init__(self, url: str, secret: str) -> None:
        self.url, self.secret = url, secret

    def routes(self, app: App) -> list[BaseRoute]:
        return [webhook_route(urlsplit(self.url).path or "/", app, self.secret)]

    async def start(self, app: App) -> None:
        await app.bot.set_webhook(
            self.url, secret_token=self.secret, allowed_updates=UPDATE_TYPES, max_connections=40
        )
        log.info("webhook set url=%s", self.url)

    async def stop(self, app: App) -> None:
        """The webhook stays: other instances (and the next start) still take updates."""


def update_source(config: Config, secret: str | None) -> UpdateSource:
    if config.telegram.webhook_url:
        assert secret, "the command line refuses webhook mode without TELEGRAM_WEBHOOK_SECRET"
        return Webhook(config.telegram.webhook_url, secret)
    return Polling()


async def serve(config: Config, token: str, secret: str | None = None) -> None:
    """`humasbot run`: the bot, its jobs, the update source and the HTTP server, until SIGINT
    or SIGTERM."""
    source = update_source(config, secret)
    app = build_application(config, token, polling=source.polls)
    stopping = _stop_on_signals()
    server = HttpServer(_http_app(app, source), config.http.listen) if config.http.listen else None
    if server is not None:
        await server.start()  # first: a port in use stops the start before anything ran
    try:
        async with app:  # getMe first: a wrong token stops here
            try:
                await _post_init(app)
                await app.start()
                if source.polls:
                    roles = app.bot_data.roles
                    await roles.add(UPDATES, lambda: source.start(app), lambda: source.stop(app))
                else:
                    await source.start(app)
                log.info(
                    "humasbot running updates=%s http=%s",
                    "polling" if source.polls else "webhook",
                    config.http.listen or "off",
                )
                await stopping.wait()
            finally:
                held = getattr(app.bot_data, "roles", None)
                if held:
                    await held.stop()  # the update source first: no new updates while stopping
                if not source.polls:
                    await source.stop(app)
                if app.running:
                    await app.stop()
                await _post_shutdown(app)
    finally:
        if server is not None:
            await server.stop()


def _http_app(app: App, source: UpdateSource) -> Starlette:
    def services() -> Services | None:
        return getattr(app.bot_data, "services", None)

    return create_app(
        metrics=app.bot_data.metrics,
        readiness=Readiness(services, app.bot),
        services=services,
        routes=[*source.routes(app), *panel_routes(lambda: desk_of(app.bot_data))],
    )


def _stop_on_signals() -> asyncio.Event:
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping.set)
    return stopping


async def _post_init(app: App) -> None:
    config = app.bot_data.config
    services = Services.create(
        config, TelegramSink(app.bot), metrics=app.bot_data.metrics, probe=TelegramChats(app.bot)
    )
    worker = DeliveryWorker(services.outbox, retry_every=config.poll_tick.total_seconds())
    services.wakeup.connect(worker.wake)  # the one delivery wake-up: every service calls it
    app.bot_data.services = services
    app.bot_data.worker = worker
    app.bot_data.polling = asyncio.Lock()
    assert app.job_queue is not None
    scheduler = BroadcastScheduler(services.broadcasts, services.runs, app.job_queue)
    services.broadcasts.timer = scheduler
    app.bot_data.scheduler = scheduler
    await set_menus(app.bot, await services.admin_ids(), config.admin_chat_id)
    tick = config.poll_tick.total_seconds()
    # Jobs added before the job queue starts are only "tentative": an interval job whose start
    # is already past when the scheduler starts waits a whole interval. So the first poll (every
    # due feed; all of them on a new database) is a one-off that runs however late it is, and the
    # repeating job starts one tick later. A late tick still runs (misfire_grace_time), missed
    # ticks collapse into one (coalesce), and a lock keeps two polls from overlapping.
    app.job_queue.run_once(
        poll_job, when=0, name="poll-first", job_kwargs={"misfire_grace_time": None}
    )
    app.job_queue.run_repeating(
        poll_job,
        interval=tick,
        first=tick,
        name="poll",
        job_kwargs={"misfire_grace_time": int(tick), "coalesce": True, "max_instances": 1},
    )
    app.job_queue.run_repeating(
        retention_job, interval=86400, first=60, name="retention", job_kwargs={"coalesce": True}
    )
    # The job queue's scheduler starts after post_init; jobs registered now run once it does.
    scheduler.active = False  # until this instance holds the scheduler role
    roles = app.bot_data.roles = Roles(services.store, config.instances)
    services.outbox.fence = roles.fence(SENDER)
    await roles.add(SENDER, lambda: _start_sending(app), worker.stop, keep=_wake(services))
    await roles.add(SCHEDULER, scheduler.activate, scheduler.deactivate, keep=scheduler.sync)
    roles.start()
    log.info("humasbot started feeds=%s channels=%s", len(config.feeds), len(config.channels))


def _wake(services: Services) -> Callable[[], Awaitable[None]]:
    """The sender looks at the outbox every few seconds: posts and broadcasts may be queued by
    another instance (the one receiving the ✅ Kirim, or firing a schedule)."""

    async def wake() -> None:
        services.wakeup()

    return wake


async def _start_sending(app: App) -> None:
    """This instance sends from now on: it takes back what the previous sender had claimed, and
    counts what it sent."""
    lease = app.bot_data.roles.generation(SENDER)
    assert lease is not None  # called as the role is taken
    released = await app.bot_data.services.outbox.take_over(lease)
    log.info("sender started lease=%s released=%s", lease, released)
    app.bot_data.worker.start()


async def _post_shutdown(app: App) -> None:
    roles = getattr(app.bot_data, "roles", None)
    if roles:
        await roles.stop()
    worker = getattr(app.bot_data, "worker", None)
    if worker:
        await worker.stop()
    services = getattr(app.bot_data, "services", None)
    if services:
        await services.aclose()
    log.info("humasbot stopped")
