"""A broadcast in progress, reported to the admin who started it by editing one message:
"terkirim 240/600, gagal 2, sisa ~12 detik"."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from bot import i18n
from bot.storage.broadcasts import Progress

log = logging.getLogger(__name__)

MIN_CHANNELS = 10  # a smaller broadcast is done before a progress report would help
EVERY = 3.0  # seconds between edits: well under Telegram's pace for one chat
GIVE_UP = 3600.0  # stop reporting a broadcast still not done after an hour


def progress_text(progress: Progress, elapsed: float, language: str) -> str:
    """The line the admin sees, with an estimate of the time left from the pace so far."""
    if progress.done:
        return i18n.text(
            "broadcast_progress_done",
            language,
            sent=progress.sent,
            total=progress.total,
            failed=progress.failed,
            seconds=round(elapsed),
        )
    rate = progress.sent / elapsed if elapsed > 0 and progress.sent else 0.0
    left = f"~{max(1, round(progress.waiting / rate))}" if rate else "?"
    return i18n.text(
        "broadcast_progress",
        language,
        sent=progress.sent,
        total=progress.total,
        failed=progress.failed,
        left=left,
    )


Read = Callable[[], Awaitable[Progress]]  # how the broadcast stands now
Send = Callable[[str], Awaitable[int | None]]  # text -> message id
Edit = Callable[[int, str], Awaitable[None]]  # message id, text


async def report(
    read: Read,
    send: Send,
    edit: Edit,
    *,
    language: str,
    every: float = EVERY,
    clock: Callable[[], float] = time.monotonic,
) -> Progress:
    """Send one message and keep editing it until the broadcast's deliveries are all done."""
    started = clock()
    progress = await read()
    shown = progress_text(progress, 0.0, language)
    message_id = await send(shown)
    while not progress.done and clock() - started < GIVE_UP:
        await asyncio.sleep(every)  # a periodic report, not a wait for an event
        progress = await read()
        text = progress_text(progress, clock() - started, language)
        if message_id is not None and text != shown:
            await edit(message_id, text)
            shown = text
    log.info(
        "broadcast progress done sent=%s failed=%s",
        progress.sent,
        progress.failed,
    )
    return progress
