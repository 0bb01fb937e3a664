"""Canonical links and stable item identities.

An item's uid is the SHA-256 (hex) of the first of these that the entry has:

1. ``guid:<guid>`` - the feed's own id (RSS <guid>, Atom <id>, RDF rdf:about);
2. ``link:<canonical link>`` - see :func:`canonical_url`;
3. ``text:<title>\\n<text>`` - for entries with neither.

The prefixes keep the three chains from ever colliding. The same entry therefore gets the same
uid on every fetch, whatever else in the feed changed.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit, urlunsplit

# Query parameters that only track where a click came from; every other parameter is kept,
# in its original order and spelling.
_TRACKING_PREFIXES = ("utm_",)
_TRACKING_NAMES = frozenset(
    {
        "fbclid", "gclid", "dclid", "gclsrc", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid",
        "_ga", "_gl", "twclid", "ttclid", "wbraid", "gbraid", "mkt_tok", "oly_anon_id",
        "oly_enc_id", "vero_id", "__s",
    }
)  # fmt: skip
_DEFAULT_PORTS = {"http": 80, "https": 443}


def is_tracking(parameter: str) -> bool:
    """True for a query parameter (``name=value``) that only tracks where a click came from."""
    name = parameter.split("=", 1)[0].lower()
    return name.startswith(_TRACKING_PREFIXES) or name in _TRACKING_NAMES


def canonical_url(url: str) -> str:
    """The URL with a lower-case scheme and host, no default port, no fragment and no tracking
    parameters (utm_*, fbclid, gclid, ...). Nothing else is reordered or re-encoded."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    netloc = parts.netloc
    if parts.hostname is not None:
        host = parts.hostname  # already lower-case
        if ":" in host:
            host = f"[{host}]"
        try:
            port = parts.port
        except ValueError:
            port = None
        if port is not None and port != _DEFAULT_PORTS.get(scheme):
            host = f"{host}:{port}"
        userinfo = netloc.rpartition("@")[0]
        netloc = f"{userinfo}@{host}" if userinfo else host
    query = "&".join(p for p in parts.query.split("&") if p and not is_tracking(p))
    path = parts.path or ("/" if netloc and scheme in _DEFAULT_PORTS else "")
    return urlunsplit((scheme, netloc, path, query, ""))


def item_uid(guid: str | None, link: str | None, title: str, text: str) -> str:
    """SHA-256 hex identity of an entry: guid, else canonical link, else title + text."""
    if guid and guid.strip():
        key = "guid:" + guid.strip()
    elif link and link.strip():
        key = "link:" + canonical_url(link)
    else:
        key = f"text:{title.strip()}\n{text.strip()}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()
