"""Kanal and Sumber: each channel's deliveries with re-enable; each feed's health, adding a feed
(the checks of /sumber tambah, site discovery included) and removing an admin-added one."""

from __future__ import annotations

import asyncio

from starlette.responses import Response

from bot.format.listing import shown_url
from bot.panel.broadcasts import _audit
from bot.panel.web import Page


async def channels_page(page: Page) -> Response:
    rows = await asyncio.to_thread(page.desk.services.store.channel_deliveries)
    return page.render(
        "channels.html",
        rows=[r for r in rows if r.kind == "channel"],
        subscribers=sum(1 for r in rows if r.kind != "channel"),
        done=page.request.query_params.get("selesai", ""),
    )


async def enable_channel(page: Page) -> Response:
    """POST /panel/kanal/aktifkan (chat): as /kanal aktifkan; its kept posts go out."""
    services, chat = page.desk.services, page.form.get("chat", "")
    enabled = await asyncio.to_thread(services.store.enable_channel, chat, now=page.desk.clock())
    if enabled:
        services.wake_delivery()
        await _audit(page, "channel_enable", chat)
    outcome = {True: "enabled", False: "already", None: "unknown"}[enabled]
    return page.go("/panel/kanal", selesai=outcome)


async def feeds_page(page: Page, *, note: str = "", status: int = 200) -> Response:
    services = page.desk.services
    health = await asyncio.to_thread(services.store.feed_health)
    listed = {f.url: f for f in await asyncio.to_thread(services.store.feed_list)}
    rows = [  # (health, the URL as admins see it, the id when an admin added it)
        (
            feed,
            shown_url(feed.url, admin=True),
            listed[feed.url].id if listed[feed.url].added_by_admin else None,
        )
        for feed in health
        if feed.url in listed  # not the broadcasts' pseudo-feed
    ]
    return page.render(
        "feeds.html",
        status=status,
        rows=rows,
        note=note,
        url=page.form.get("url", ""),
        done=page.request.query_params.get("selesai", ""),
    )


async def add_feed(page: Page) -> Response:
    """POST /panel/sumber/tambah (url): fetched and parsed once first, the site's feed or
    sitemap found as /sumber tambah finds it."""
    services, url = page.desk.services, page.form.get("url", "").strip()
    if not url.lower().startswith(("http://", "https://")) or len(url) > 2048:
        return await feeds_page(page, note=page.t("source_bad_url"), status=400)
    found = await services.check_feed(url)
    if not found.usable:
        reason = found.error or page.t("source_none")
        text = page.t("panel_source_unusable", url=shown_url(url, admin=True), reason=reason)
        return await feeds_page(page, note=text, status=400)
    title = found.title or found.url
    added = await asyncio.to_thread(
        services.store.add_admin_feed,
        found.url,
        title,
        by=page.session.user_id,
        now=page.desk.clock(),
    )
    if added:
        await services.resync_feeds()
        await _audit(page, "source_add", found.url)
    how = page.t(f"panel_found_{found.found}", url=shown_url(found.url, admin=True))
    key = "panel_source_added" if added else "panel_source_exists"
    page.form.pop("url", None)
    return await feeds_page(page, note=page.t(key, title=title, found=how))


async def remove_feed(page: Page) -> Response:
    """POST /panel/sumber/{id}/hapus: an admin-added feed is no longer followed."""
    services = page.desk.services
    feed_id = int(page.request.path_params["feed_id"])
    url = await asyncio.to_thread(services.store.remove_admin_feed, feed_id)
    if url is None:
        return page.go("/panel/sumber", selesai="not_removable")
    await services.resync_feeds()
    await _audit(page, "source_remove", url)
    return page.go("/panel/sumber", selesai="removed")
