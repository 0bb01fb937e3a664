"""Chats and helpers shared by the deliver tests."""

from __future__ import annotations

from tests.fakes.bot_api import FakeBotAPI, Limits

TOKEN = "123456:TESTTOKENabcdefghijklmnopqrstuvwxyz"
CHANNEL = -1001000000001
KICKED = -1001000000002
OLD_GROUP = -1000000003
NEW_SUPERGROUP = -1001000000003


def make_fake(limits: bool | Limits = False) -> FakeBotAPI:
    chats = {
        CHANNEL: {"type": "channel", "title": "Humas Kota"},
        KICKED: {"type": "channel", "title": "Lama", "kicked": True},
        OLD_GROUP: {"type": "group", "title": "Grup", "migrate_to": NEW_SUPERGROUP},
        NEW_SUPERGROUP: {"type": "supergroup", "title": "Grup"},
    }
    return FakeBotAPI(chats, limits=limits)
