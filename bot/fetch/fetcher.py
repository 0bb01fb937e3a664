"""Fetch one feed URL politely and safely; every failure comes back as ``FetchResult.error``.

Rules of a fetch:

* Conditional GET: the stored ETag and Last-Modified go out as If-None-Match and
  If-Modified-Since; a 304 answer is ``status=304, body=None`` and keeps the validators.
* Redirects are followed here, one request per hop (httpx's own following is off), at most
  ``max_redirects`` of them; each hop passes the SSRF guard (:mod:`bot.fetch.guard`) and only
  http(s) targets are followed. ``permanent_redirect`` is the final URL when every hop was a
  301 or 308 and the final answer was usable (200 or 304), so the caller can move the feed.
* Time: ``connect_timeout`` per connection, and ``timeout`` as one deadline for the whole
  response, redirects and body included. The deadline starts once the first request holds its
  concurrency slots, so time spent queueing behind other feeds does not count.
* Size: the decoded body may not exceed ``max_bytes`` (:mod:`bot.fetch.body`).
* Type: a Content-Type that cannot be a feed (or, with ``page=True``, an article page) is an
  error before the body is read (:mod:`bot.fetch.content`).
* Concurrency: at most ``max_concurrency`` fetches at once, at most ``per_host`` per host name.
* ``file://`` URLs are read from disk (:mod:`bot.fetch.local`) without those limits but with
  the same size cap; they are always allowed.
"""

from __future__ import annotations

import asyncio
import importlib.util
import logging
import sys
from dataclasses import replace
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpx

from bot.fetch.body import ACCEPT_ENCODING, BodyError, read_capped
from bot.fetch.content import PAGE_ACCEPT, unusable_type
from bot.fetch.guard import AddressGuard, AddressRefused
from bot.fetch.headers import max_age_seconds, retry_after_seconds
from bot.fetch.local import read_file
from bot.models import FetchResult
from bot.settings import FetchConfig

logger = logging.getLogger(__name__)

# httpcore runs `import sniffio` on every request; when sniffio is not installed each failed
# import searches sys.path again (about 1 ms a request). Recording its absence makes it instant.
if importlib.util.find_spec("sniffio") is None:
    sys.modules.setdefault("sniffio", None)  # type: ignore[arg-type]

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PERMANENT = frozenset({301, 308})
_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)


class Fetcher:
    """An HTTP client for feeds; use ``async with Fetcher(config) as fetcher``."""

    def __init__(
        self, config: FetchConfig, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self._config = config
        inner = transport or httpx.AsyncHTTPTransport(
            limits=httpx.Limits(max_connections=config.max_concurrency), retries=0
        )
        self._client = httpx.AsyncClient(
            transport=inner if config.allow_private_addresses else AddressGuard(inner),
            timeout=httpx.Timeout(config.timeout, connect=config.connect_timeout),
            follow_redirects=False,
            trust_env=False,  # an environment proxy would bypass the address guard
            headers={
                "User-Agent": config.user_agent,
                "Accept": _ACCEPT,
                "Accept-Encoding": ACCEPT_ENCODING,
            },
        )
        self._slots = asyncio.Semaphore(config.max_concurrency)
        self._host_slots: dict[str, asyncio.Semaphore] = {}

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        page: bool = False,
    ) -> FetchResult:
        """Fetch ``url`` (a feed, or an article page with ``page=True``); never raises for
        network, HTTP or content problems."""
        scheme = urlsplit(url).scheme.lower()
        if scheme == "file":
            max_bytes = self._config.max_bytes
            return await asyncio.to_thread(read_file, url, max_bytes, etag, last_modified)
        if scheme not in ("http", "https"):
            return FetchResult(url=url, error=f"unsupported URL scheme: {scheme or '(none)'}")
        async with self._slots:
            try:
                result = await self._follow(url, etag, last_modified, page)
            except Exception as exc:  # every failure is data for the caller
                result = FetchResult(url=url, error=self._describe(exc))
        logger.debug(
            "feed_fetched url=%s status=%s bytes=%s error=%s",
            url,
            result.status,
            len(result.body) if result.body is not None else None,
            result.error,
        )
        return result

    async def _follow(
        self, url: str, etag: str | None, last_modified: str | None, page: bool
    ) -> FetchResult:
        current, permanent = url, True
        loop = asyncio.get_running_loop()
        async with asyncio.timeout(None) as deadline:
            for hop in range(self._config.max_redirects + 1):
                async with self._host_slot(current):
                    if deadline.when() is None:
                        deadline.reschedule(loop.time() + self._config.timeout)
                    outcome = await self._request(url, current, etag, last_modified, page)
                if isinstance(outcome, FetchResult):
                    if hop > 0 and permanent and outcome.status in (200, 304):
                        return replace(outcome, permanent_redirect=current)
                    return outcome
                status, target = outcome
                permanent = permanent and status in _PERMANENT
                current = target
        return FetchResult(
            url=url, error=f"too many redirects (more than {self._config.max_redirects})"
        )

    async def _request(
        self, url: str, current: str, etag: str | None, last_modified: str | None, page: bool
    ) -> FetchResult | tuple[int, str]:
        """One hop: a finished result, or (status, next URL) for a redirect."""
        headers = {"Accept": PAGE_ACCEPT} if page else {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        request = self._client.build_request("GET", current, headers=headers)
        response = await self._client.send(request, stream=True)
        try:
            status = response.status_code
            if status in _REDIRECTS and "location" in response.headers:
                await _drain(response)
                return status, _redirect_target(current, response.headers["location"])
            result = _answer(url, current, response)
            if status == 304:  # keep the validators when the answer does not repeat them
                await _drain(response)
                return replace(
                    result,
                    etag=result.etag or etag,
                    last_modified=result.last_modified or last_modified,
                )
            if not 200 <= status < 300:
                await _drain(response)
                return replace(result, error=f"HTTP {status}")
            if problem := unusable_type(result.content_type, page=page):
                return replace(result, error=problem)
            try:
                body = await read_capped(response, self._config.max_bytes)
            except BodyError as exc:
                return replace(result, error=str(exc))
            return replace(result, body=body)
        finally:
            await response.aclose()

    def _host_slot(self, url: str) -> asyncio.Semaphore:
        host = urlsplit(url).hostname or ""
        slot = self._host_slots.get(host)
        if slot is None:
            slot = self._host_slots[host] = asyncio.Semaphore(self._config.per_host)
        return slot

    def _describe(self, exc: Exception) -> str:
        if isinstance(exc, AddressRefused | BodyError):
            return str(exc)
        if isinstance(exc, httpx.ConnectTimeout):
            return f"connect timed out after {self._config.connect_timeout:g}s"
        if isinstance(exc, TimeoutError | httpx.TimeoutException):
            return f"timed out after {self._config.timeout:g}s"
        if isinstance(exc, httpx.ConnectError):
            return f"cannot connect: {exc}"
        if isinstance(exc, httpx.RemoteProtocolError):
            return f"connection broken: {exc}"
        if isinstance(exc, httpx.InvalidURL | httpx.UnsupportedProtocol):
            return f"invalid URL: {exc}"
        if isinstance(exc, httpx.HTTPError):
            return f"network error: {exc or type(exc).__name__}"
        logger.warning("fetch_unexpected_error", exc_info=exc)
        return f"unexpected error: {type(exc).__name__}: {exc}"


async def _drain(response: httpx.Response, limit: int = 65536) -> None:
    """Read a small answer's body so its connection can be reused; a longer one is left (and
    its connection closed)."""
    read = 0
    try:
        async for chunk in response.aiter_raw():
            read += len(chunk)
            if read > limit:
                return
    except (httpx.HTTPError, httpx.StreamError):  # the answer is known; only reuse is lost
        return


def _redirect_target(current: str, location: str) -> str:
    target = urljoin(current, location.strip())
    scheme = urlsplit(target).scheme.lower()
    if scheme not in ("http", "https"):
        raise AddressRefused(f"refused: redirect to a {scheme}: URL ({target})")
    return target


def _answer(url: str, current: str, response: httpx.Response) -> FetchResult:
    """The result for a final (non-redirect) answer, without its body."""
    headers = response.headers
    return FetchResult(
        url=url,
        status=response.status_code,
        final_url=current,
        etag=headers.get("etag"),
        last_modified=headers.get("last-modified"),
        retry_after=retry_after_seconds(headers.get("retry-after")),
        max_age=max_age_seconds(headers.get("cache-control")),
        content_type=headers.get("content-type"),
    )
