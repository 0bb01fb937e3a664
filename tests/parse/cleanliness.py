"""What a clean item looks like: shared by the real-feed and the quirk tests."""

from __future__ import annotations

import re

from bot.models import Item

# markup, entities, mojibake, carriage returns or padding left in text
DIRTY = re.compile(r"<[a-zA-Z/!]|&[a-zA-Z]+;|&#x?[0-9a-fA-F]+;|â€|Ã[\u0080-\u00bf]|Â |\r|\t|  ")
TRACKING = re.compile(r"[?&](utm_[a-z]+|fbclid|gclid|mc_cid|igshid)=", re.IGNORECASE)


def problems(item: Item) -> list[str]:
    found = []
    if not item.title.strip():
        found.append("no title")
    for name, text in (("title", item.title), ("text", item.text)):
        if text != text.strip() or DIRTY.search(text):
            found.append(f"dirty {name}: {DIRTY.search(text) or 'padding'}")
    if not item.link or not item.link.startswith(("http://", "https://")):
        found.append("no link")
    elif TRACKING.search(item.link):
        found.append(f"tracking in {item.link}")
    if item.published is None:
        found.append("no date")
    return found
