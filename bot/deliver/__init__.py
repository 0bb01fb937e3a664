"""Deliver stage: pacing and sending posts to Telegram chats."""

from bot.deliver.dispatch import DispatchReport, send_all
from bot.deliver.pacer import Pacer
from bot.deliver.sink import ConsoleSink, Sink

__all__ = ["ConsoleSink", "DispatchReport", "Pacer", "Sink", "send_all"]
