"""The webhook route in process: what it accepts, what it refuses, and that refused pushes never
reach the Application's update queue."""

from __future__ import annotations

import json

import httpx
import pytest
from starlette.applications import Starlette
from telegram import Update
from telegram.ext import ApplicationBuilder

from bot.http.webhook import MAX_BODY, SECRET_HEADER, webhook_route

SECRET = "rahasia-123_ABC"
PATH = "/telegram/kiriman"


@pytest.fixture
def application():
    return ApplicationBuilder().token("123456:TEST-token").updater(None).build()


@pytest.fixture
async def client(application):
    app = Starlette(routes=[webhook_route(PATH, application, SECRET)])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hook") as client:
        yield client


def _update(update_id: int = 7, text: str = "/start") -> dict:
    user = {"id": 5, "is_bot": False, "first_name": "Sri"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": 1700000000,
            "chat": {"id": 5, "type": "private"},
            "from": user,
            "text": text,
        },
    }


async def test_a_push_with_the_secret_goes_to_the_update_queue(client, application):
    answer = await client.post(PATH, json=_update(), headers={SECRET_HEADER: SECRET})
    assert answer.status_code == 200
    update = application.update_queue.get_nowait()
    assert isinstance(update, Update) and update.update_id == 7
    assert update.message is not None and update.message.text == "/start"


@pytest.mark.parametrize(
    ("headers", "status"),
    [({}, 401), ({SECRET_HEADER: "salah"}, 403), ({SECRET_HEADER: SECRET + "x"}, 403)],
)
async def test_missing_or_wrong_secret_is_refused(client, application, headers, status):
    answer = await client.post(PATH, json=_update(), headers=headers)
    assert answer.status_code == status
    assert application.update_queue.empty()


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"\xff\xfe",
        b"[1, 2]",
        b'{"message": {}}',
        json.dumps({"update_id": "tujuh"}).encode(),
        json.dumps({"update_id": 1, "message": {"chat": 5}}).encode(),
    ],
)
async def test_unreadable_bodies_get_400_and_the_route_stays_up(client, application, body):
    answer = await client.post(PATH, content=body, headers={SECRET_HEADER: SECRET})
    assert answer.status_code == 400
    assert application.update_queue.empty()
    again = await client.post(PATH, json=_update(8), headers={SECRET_HEADER: SECRET})
    assert again.status_code == 200 and application.update_queue.get_nowait().update_id == 8


async def test_bodies_over_one_megabyte_are_refused(client, application):
    big = _update(text="x" * MAX_BODY)
    answer = await client.post(PATH, json=big, headers={SECRET_HEADER: SECRET})
    assert answer.status_code == 413
    assert application.update_queue.empty()


async def test_only_post_on_the_path(client):
    assert (await client.get(PATH, headers={SECRET_HEADER: SECRET})).status_code == 405
    assert (await client.post("/lain", json=_update())).status_code == 404


async def test_a_chunked_body_is_cut_off_at_one_megabyte(client, application):
    async def chunks():
        for _ in range(20):
            yield b"x" * (64 * 1024)

    answer = await client.post(PATH, content=chunks(), headers={SECRET_HEADER: SECRET})
    assert answer.status_code == 413
    assert application.update_queue.empty()
