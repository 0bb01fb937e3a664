"""Kanal and Sumber: each channel's deliveries with re-enable; each feed's health, adding a feed
(the feed service's checks, as /sumber tambah: site discovery included) and removing an
admin-added one."""

from __future__ import annotations

from starlette.responses import Response

from bot.format.listing import inactive_reason, shown_url
from bot.panel.desk import panel_actor
from bot.panel.web import Page
from bot.services.base import Denied
from bot.services.channels import ChannelEnable
from bot.services.feeds import FeedRefusal, SourceAdded, SourceRemoved, SourceUnusable


async def channels_page(page: Page) -> Response:
    rows = await page.desk.services.channels.listing(panel_actor(page.session))
    if isinstance(rows, Denied):
        return page.render("message.html", status=403, key="not_admin")
    reasons = {r.chat_id: inactive_reason(r.inactive_reason or "", page.lang) for r in rows}
    return page.render(
        "channels.html",
        rows=rows,
        reasons=reasons,
        done=page.request.query_params.get("selesai", ""),
    )


async def enable_channel(page: Page) -> Response:
    """POST /panel/kanal/aktifkan (chat): as /kanal aktifkan; its kept posts go out."""
    chat = page.form.get("chat", "")
    outcome = await page.desk.services.channels.enable(chat, panel_actor(page.session))
    done = outcome.value if isinstance(outcome, ChannelEnable) else "unknown"
    return page.go("/panel/kanal", selesai=done)


async def feeds_page(page: Page, *, note: str = "", status: int = 200) -> Response:
    feeds = page.desk.services.feeds
    health = await feeds.health(panel_actor(page.session))
    if isinstance(health, Denied):
        return page.render("message.html", status=403, key="not_admin")
    listed = {f.url: f for f in await feeds.listed(admin=True)}
    rows = []  # (health, the URL as admins see it, the id when an admin added it)
    for feed in health:
        shown = shown_url(feed.url, admin=True)
        if (listing := listed.get(shown)) is not None:  # not the broadcasts' pseudo-feed
            rows.append((feed, shown, listing.id if listing.added_by_admin else None))
    return page.render(
        "feeds.html",
        status=status,
        rows=rows,
        note=note,
        url=page.form.get("url", ""),
        done=page.request.query_params.get("selesai", ""),
    )


async def add_feed(page: Page) -> Response:
    """POST /panel/sumber/tambah (url): fetched and parsed once first; a page of the site is
    enough (its feed, or its sitemap, is found)."""
    url = page.form.get("url", "").strip()[:2048]
    added = await page.desk.services.feeds.add(url, panel_actor(page.session))
    if isinstance(added, SourceAdded):
        how = page.t(f"panel_found_{added.found}", url=shown_url(added.url, admin=True))
        key = "panel_source_added" if added.added else "panel_source_exists"
        page.form.pop("url", None)
        return await feeds_page(page, note=page.t(key, title=added.title, found=how))
    if isinstance(added, SourceUnusable):
        reason = added.error or page.t("source_none")
        text = page.t("panel_source_unusable", url=shown_url(url, admin=True), reason=reason)
        return await feeds_page(page, note=text, status=400)
    if added is FeedRefusal.BAD_URL:
        return await feeds_page(page, note=page.t("source_bad_url"), status=400)
    return page.render("message.html", status=403, key="not_admin")


async def remove_feed(page: Page) -> Response:
    """POST /panel/sumber/{id}/hapus: an admin-added feed is no longer followed."""
    feed_id = int(page.request.path_params["feed_id"])
    removed = await page.desk.services.feeds.remove(feed_id, panel_actor(page.session))
    done = "removed" if isinstance(removed, SourceRemoved) else "not_removable"
    return page.go("/panel/sumber", selesai=done)
