"""`humasbot run`: the bot answering commands and the scheduler polling feeds, in one process."""

from __future__ import annotations

import logging
from typing import Any

from telegram.ext import Application, ApplicationBuilder

from bot import handlers
from bot.deliver.telegram import TelegramSink
from bot.handlers.context import CONTEXT_TYPES, BotData, HumasContext
from bot.pipeline.outbox import DeliveryWorker
from bot.services import Services
from bot.settings import Config

log = logging.getLogger(__name__)

App = Application[Any, Any, Any, Any, BotData, Any]


async def poll_job(context: HumasContext) -> None:
    """The one repeating job: poll the feeds that are due, then wake the delivery worker."""
    services = context.bot_data.services
    report = await services.pipeline.poll()
    if report.queued:
        context.bot_data.worker.wake()


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
    app.bot_data.services = services
    app.bot_data.worker = worker
    await app.bot.set_my_commands(handlers.menu("id"))
    await app.bot.set_my_commands(handlers.menu("en"), language_code="en")
    worker.start()
    tick = config.poll_tick.total_seconds()
    assert app.job_queue is not None
    # first=0: every due feed (all of them on a new database) is fetched at once. A late tick
    # still runs (misfire_grace_time) and missed ticks collapse into one (coalesce).
    app.job_queue.run_repeating(
        poll_job,
        interval=tick,
        first=0,
        name="poll",
        job_kwargs={"misfire_grace_time": int(tick), "coalesce": True, "max_instances": 1},
    )
    log.info("humasbot started feeds=%s channels=%s", len(config.feeds), len(config.channels))


async def _post_shutdown(app: App) -> None:
    worker = getattr(app.bot_data, "worker", None)
    if worker:
        await worker.stop()
    services = getattr(app.bot_data, "services", None)
    if services:
        services.close()
    log.info("humasbot stopped")
