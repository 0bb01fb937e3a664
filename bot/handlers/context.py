"""The typed context every handler and job receives: `context.bot_data.services`."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from telegram.ext import CallbackContext, ContextTypes, ExtBot

if TYPE_CHECKING:
    from bot.broadcast.scheduler import BroadcastScheduler
    from bot.http.metrics import Metrics
    from bot.pipeline.outbox import DeliveryWorker
    from bot.roles import Roles
    from bot.services import Services
    from bot.settings import Config


class BotData:
    config: Config
    metrics: Metrics  # the application's Prometheus registry
    services: Services
    worker: DeliveryWorker
    scheduler: BroadcastScheduler
    roles: Roles  # which one-at-a-time work this instance does (several share a database)
    polling: asyncio.Lock  # one poll at a time


HumasContext = CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]
CONTEXT_TYPES = ContextTypes(bot_data=BotData)
