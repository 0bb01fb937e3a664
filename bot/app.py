"""`humasbot run`: the bot answering commands and the scheduler polling feeds.

Several such processes may share one PostgreSQL database: every one polls feeds (each due feed
is claimed by one), and the work that must be done by one at a time goes to the holder of a
role (bot.roles): ``updates`` (the update source, when it is long polling), ``scheduler``
(schedules, review notices, retention) and ``sender`` (the outbox).
"""

from __future__ import annotations

import asyncio
import logging
import signal
from datetime import UTC, datetime
from typing import Any, Protocol

from telegram import Update
from telegram.ext import Application, ApplicationBuilder

from bot import handlers
from bot.broadcast.scheduler import BroadcastScheduler
from bot.deliver.telegram import TelegramSink
from bot.handlers.context import CONTEXT_TYPES, BotData, HumasContext
from bot.handlers.menu import set_menus
from bot.pipeline.outbox import DeliveryWorker
from bot.roles import SCHEDULER, SENDER, UPDATES, Roles
from bot.services import Services
from bot.settings import Config

log = logging.getLogger(__name__)

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
        context.bot_data.worker.wake()


async def retention_job(context: HumasContext) -> None:
    """Daily: forget personal data older than retention.personal_data (UU PDP 27/2022)."""
    if not context.bot_data.roles.holds(SCHEDULER):
        return
    services = context.bot_data.services
    cutoff = datetime.now(UTC) - services.config.retention.personal_data
    counts = await asyncio.to_thread(services.store.apply_retention, cutoff)
    log.info("retention applied audit=%s delivery_log=%s subscribers=%s", *counts.values())


def build_application(config: Config, token: str) -> App:
    app: App = (
        ApplicationBuilder()
        .token(token)
        .base_url(config.telegram.api_base_url)
        .base_file_url(config.telegram.api_base_file_url)
        .context_types(CONTEXT_TYPES)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .build()
    )
    app.bot_data.config = config
    handlers.register(app)
    return app


async def _post_init(app: App) -> None:
    config = app.bot_data.config
    services = Services.create(config, TelegramSink(app.bot))
    worker = DeliveryWorker(services.outbox, retry_every=config.poll_tick.total_seconds())
    services.wake_delivery = worker.wake
    app.bot_data.services = services
    app.bot_data.worker = worker
    app.bot_data.polling = asyncio.Lock()
    assert app.job_queue is not None
    scheduler = BroadcastScheduler(services, app.job_queue, worker.wake)
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
    await roles.add(SENDER, gain=lambda: _start_sending(app), lose=worker.stop)
    await roles.add(SCHEDULER, scheduler.activate, scheduler.deactivate, keep=scheduler.sync)
    roles.start()
    log.info("humasbot started feeds=%s channels=%s", len(config.feeds), len(config.channels))


async def _start_sending(app: App) -> None:
    """This instance sends from now on: it counts what the previous sender sent first."""
    outbox = app.bot_data.services.outbox
    seeded = await asyncio.to_thread(outbox.seed_pacer)
    log.info("sender started recent_sends=%s", seeded)
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
        services.close()
    log.info("humasbot stopped")


class UpdateSource(Protocol):
    """Where updates come from. `singleton`: only one instance at a time may run it (two long
    pollers make Telegram answer 409 to each other); it then runs while this instance holds the
    ``updates`` role. A source every instance may run (a webhook behind a balancer) is not."""

    singleton: bool

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class LongPolling:
    singleton = True

    def __init__(self, app: App) -> None:
        self.app = app

    async def start(self) -> None:
        assert self.app.updater is not None
        await self.app.updater.start_polling(
            allowed_updates=Update.ALL_TYPES, drop_pending_updates=False
        )

    async def stop(self) -> None:
        if self.app.updater is not None and self.app.updater.running:
            await self.app.updater.stop()


async def serve(app: App, source: UpdateSource) -> None:
    """Run until SIGINT or SIGTERM: what Application.run_polling does, with the update source
    started and stopped by the ``updates`` role instead of at once."""
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopping.set)
    await app.initialize()
    try:
        await _post_init(app)
        await app.start()
        if source.singleton:
            await app.bot_data.roles.add(UPDATES, source.start, source.stop)
        else:
            await source.start()
        await stopping.wait()
        log.info("humasbot stopping")
    finally:
        roles = getattr(app.bot_data, "roles", None)
        if roles:
            await roles.stop()  # the update source first: no new updates while stopping
        if not source.singleton:
            await source.stop()
        if app.running:
            await app.stop()
        await _post_shutdown(app)
        await app.shutdown()


def run_service(config: Config, token: str) -> None:
    app = build_application(config, token)
    asyncio.run(serve(app, LongPolling(app)))
