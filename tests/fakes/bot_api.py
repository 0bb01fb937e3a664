"""A small Telegram Bot API server for the project's tests (standard library only).

It answers python-telegram-bot like api.telegram.org does: the same JSON shapes, error codes and
error wording for the methods humasbot uses, Telegram's HTML rules for ``parse_mode=HTML``, flood
limits (429 with ``retry_after``), per-chat states (kicked, blocked, migrated) and scripted faults.

In-process::

    srv = FakeBotAPI(chats={-1001: {"type": "channel", "title": "Humas"}}).start()
    bot = Bot("123:TEST", base_url=srv.base_url, base_file_url=srv.base_file_url)
    ...
    srv.stop()

As a process (for end-to-end tests)::

    python tests/fakes/bot_api.py --port 0 --chat=-1001:channel:Humas
    # FAKE_BOT_API_READY http://127.0.0.1:PORT base_url=... base_file_url=...

Control API on the same port: ``POST /_control/inject_update``, ``GET /_control/calls``
(``?method=&chat_id=&min_count=&wait=``), ``GET /_control/messages?chat_id=``,
``POST /_control/fault``, ``POST /_control/chat``, ``POST /_control/reset``,
``GET /_control/health``, ``POST /_control/shutdown``.

Webhooks: after ``setWebhook`` with a loopback ``url`` and a ``secret_token``, injected updates are
POSTed there one at a time with the secret header, retried until a 2xx answer; each try is in the
call log as method ``_webhook`` (``update_id``, ``status``, ``ok``). ``getUpdates`` then answers
409 until ``deleteWebhook``.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import copy
import email.parser
import email.policy
import itertools
import json
import math
import re
import signal
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

# --- Telegram's HTML (a small re-implementation of the rules tdlib's parse_html applies) -------

_TAG_ENTITY = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "tg-emoji": "custom_emoji",
}
_HTML_ENTITY = re.compile(r"&(?:#([0-9]{1,8})|#[xX]([0-9a-fA-F]{1,8})|([a-zA-Z0-9]+));?")
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_UNQUOTED_VALUE = re.compile(r"[A-Za-z0-9.\-]*")
MAX_TEXT = 4096
MAX_CAPTION = 1024


class EntityParseError(ValueError):
    """The text is not valid Telegram HTML; the message is Telegram's wording."""


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _decode_entity(text: str, pos: int) -> tuple[str, int] | None:
    match = _HTML_ENTITY.match(text, pos)
    if not match:
        return None
    decimal, hexadecimal, name = match.groups()
    if name is not None:
        char = _NAMED_ENTITIES.get(name)
    else:
        code = int(decimal) if decimal is not None else int(hexadecimal, 16)
        valid = 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF
        char = chr(code) if valid else None
    return (char, match.end()) if char is not None else None


class _HtmlParser:
    """One pass over the text: plain text out, entities with UTF-16 offsets, tdlib's errors."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.out: list[str] = []
        self.utf16 = 0
        self.stack: list[tuple[str, str, int]] = []  # tag, argument, utf-16 start
        self.entities: list[dict[str, Any]] = []
        self.pre_language: str | None = None

    def fail(self, message: str, pos: int | None = None) -> EntityParseError:
        where = "" if pos is None else f" at byte offset {len(self.text[:pos].encode())}"
        return EntityParseError(f"can't parse entities: {message}{where}")

    def emit(self, chars: str) -> None:
        self.out.append(chars)
        self.utf16 += _utf16_len(chars)

    def parse(self) -> tuple[str, list[dict[str, Any]]]:
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char == "&" and (decoded := _decode_entity(text, self.pos)):
                self.emit(decoded[0])
                self.pos = decoded[1]
            elif char != "<":
                self.emit(char)
                self.pos += 1
            elif text.startswith("</", self.pos):
                self.end_tag()
            else:
                self.start_tag()
        if self.stack:
            tag = self.stack[-1][0]
            raise self.fail(f'Can\'t find end tag corresponding to start tag "{tag}"')
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.out), self.entities

    def read_name(self, start: int) -> int:
        end = start
        while end < len(self.text) and not self.text[end].isspace() and self.text[end] != ">":
            end += 1
        return end

    def skip_spaces(self, pos: int) -> int:
        while pos < len(self.text) and self.text[pos].isspace():
            pos += 1
        return pos

    def start_tag(self) -> None:
        begin = self.pos
        name_end = self.read_name(begin + 1)
        if name_end >= len(self.text):
            raise self.fail("Unclosed start tag", begin)
        tag = self.text[begin + 1 : name_end].lower()
        if tag not in _TAG_ENTITY:
            raise self.fail(f'Unsupported start tag "{tag}"', begin)
        attributes = self.attributes(tag, name_end)
        argument = self.argument(tag, attributes)
        if tag == "span" and argument != "tg-spoiler":
            raise self.fail('Tag "span" must have class "tg-spoiler"', begin)
        self.stack.append((tag, argument, self.utf16))

    def attributes(self, tag: str, pos: int) -> dict[str, str]:
        text, found = self.text, {}
        while True:
            pos = self.skip_spaces(pos)
            if pos >= len(text):
                raise self.fail("Unclosed start tag", pos)
            if text[pos] == ">":
                self.pos = pos + 1
                return found
            name_start = pos
            while pos < len(text) and not text[pos].isspace() and text[pos] not in "=>":
                pos += 1
            name = text[name_start:pos].lower()
            pos = self.skip_spaces(pos)
            if pos >= len(text) or text[pos] != "=":
                if name == "expandable" and tag == "blockquote":
                    found[name] = ""
                    continue
                message = f'Expected equal sign in declaration of an attribute of the tag "{tag}"'
                raise self.fail(message, pos)
            pos = self.skip_spaces(pos + 1)
            if pos >= len(text):
                raise self.fail("Unclosed start tag", pos)
            found[name], pos = self.attribute_value(tag, name, pos)

    def attribute_value(self, tag: str, name: str, pos: int) -> tuple[str, int]:
        text = self.text
        quote = text[pos]
        if quote not in "'\"":
            end = _UNQUOTED_VALUE.match(text, pos).end()  # type: ignore[union-attr]
            if end == pos:
                message = f'Empty value of the attribute "{name}" of the tag "{tag}"'
                raise self.fail(message, pos)
            return text[pos:end], end
        end = text.find(quote, pos + 1)
        if end < 0:
            raise self.fail("Unclosed start tag", pos)
        raw, value, i = text[pos + 1 : end], [], 0
        while i < len(raw):
            decoded = _decode_entity(raw, i) if raw[i] == "&" else None
            value.append(decoded[0] if decoded else raw[i])
            i = decoded[1] if decoded else i + 1
        return "".join(value), end + 1

    @staticmethod
    def argument(tag: str, attributes: Mapping[str, str]) -> str:
        if tag == "a":
            return attributes.get("href", "")
        if tag == "code":
            return attributes.get("class", "").removeprefix("language-")
        if tag == "span":
            return attributes.get("class", "")
        if tag == "tg-emoji":
            return attributes.get("emoji-id", "")
        if tag == "blockquote" and "expandable" in attributes:
            return "expandable"
        return ""

    def end_tag(self) -> None:
        begin = self.pos
        if not self.stack:
            raise self.fail("Unexpected end tag", begin)
        name_end = self.read_name(begin + 2)
        tag = self.text[begin + 2 : name_end].lower()
        close = self.skip_spaces(name_end)
        if close >= len(self.text) or self.text[close] != ">":
            raise self.fail("Unclosed end tag", close)
        open_tag, argument, start = self.stack[-1]
        if tag != open_tag:
            expected = f'expected "</{open_tag}>", found "</{tag}>"'
            raise self.fail(
                f"Unmatched end tag at byte offset {len(self.text[:begin].encode())}, {expected}"
            )
        self.stack.pop()
        self.pos = close + 1
        self.add_entity(open_tag, argument, start)

    def add_entity(self, tag: str, argument: str, start: int) -> None:
        length = self.utf16 - start
        if tag == "code" and argument and self.stack and self.stack[-1][0] == "pre":
            self.pre_language = argument
            return
        if length <= 0 or (tag == "a" and not argument):
            return
        entity: dict[str, Any] = {"type": _TAG_ENTITY[tag], "offset": start, "length": length}
        if tag == "a":
            entity["url"] = argument
        elif tag == "tg-emoji":
            entity["custom_emoji_id"] = argument
        elif tag == "blockquote" and argument:
            entity["type"] = "expandable_blockquote"
        elif tag == "pre" and self.pre_language:
            entity["language"], self.pre_language = self.pre_language, None
        self.entities.append(entity)


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Telegram HTML -> (plain text, entities); raises EntityParseError with Telegram's wording."""
    return _HtmlParser(text).parse()


def render_text(text: str, parse_mode: str | None, limit: int, what: str) -> tuple[str, list]:
    """What Telegram stores for a text or caption: parsed, trimmed, length-checked."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        try:
            plain, entities = parse_html(text)
        except EntityParseError as exc:
            raise ApiError(400, f"Bad Request: {exc}") from None
    elif mode in ("", "markdown", "markdownv2"):  # Markdown is passed through, not validated
        plain, entities = text, []
    else:
        raise ApiError(400, "Bad Request: unsupported parse_mode")
    stripped = plain.strip()
    if what == "text" and not stripped:
        raise ApiError(400, "Bad Request: message text is empty")
    if len(stripped) > limit:
        suffix = "message is too long" if what == "text" else "message caption is too long"
        raise ApiError(400, f"Bad Request: {suffix}")
    return stripped, _trim_entities(plain, stripped, entities)


def _trim_entities(plain: str, stripped: str, entities: list[dict]) -> list[dict]:
    lead = _utf16_len(plain[: len(plain) - len(plain.lstrip())])
    total = _utf16_len(stripped)
    kept = []
    for entity in entities:
        start = max(0, entity["offset"] - lead)
        end = min(entity["offset"] + entity["length"] - lead, total)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return kept


# --- chats, flood control, errors ---------------------------------------------------------------


class ApiError(Exception):
    """An answer {"ok": false, ...} with Telegram's code and description."""

    def __init__(self, code: int, description: str, parameters: dict | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.parameters = code, description, parameters


@dataclass
class Limits:
    """Flood limits per bot token. Defaults are Telegram's documented numbers."""

    global_per_second: int = 30
    group_per_window: int = 20  # per group/channel (chat_id < 0)
    group_window: float = 60.0
    chat_per_second: float = 1.0  # any one chat, as a token bucket ...
    chat_burst: int = 3  # ... of this size (our choice; Telegram publishes none)


@dataclass
class FakeChat:
    id: int
    type: str = "channel"
    title: str | None = None
    username: str | None = None
    first_name: str | None = None
    kicked: bool = False
    blocked: bool = False
    migrate_to: int | None = None
    admins: set[int] = field(default_factory=set)
    messages: list[dict] = field(default_factory=list)
    next_message_id: int = 1

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        for key in ("title", "username", "first_name"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        return data

    def check_can_send(self) -> None:
        if self.migrate_to is not None:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": self.migrate_to},
            )
        if self.kicked:
            raise ApiError(403, f"Forbidden: bot was kicked from the {self.type} chat")
        if self.blocked and self.type == "private":
            raise ApiError(403, "Forbidden: bot was blocked by the user")


class FloodControl:
    """Sliding windows (global per second, per group per window) and a per-chat token bucket."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.global_sends: dict[str, collections.deque[float]] = collections.defaultdict(
            collections.deque
        )
        self.group_sends: dict[tuple[str, int], collections.deque[float]] = collections.defaultdict(
            collections.deque
        )
        self.chat_tat: dict[tuple[str, int], float] = {}

    @staticmethod
    def _window_wait(
        sends: collections.deque[float], limit: int, window: float, now: float
    ) -> float:
        while sends and sends[0] <= now - window:
            sends.popleft()
        return sends[len(sends) - limit] + window - now if len(sends) >= limit else 0.0

    def admit(self, token: str, chat_id: int, now: float) -> float:
        """0 when the send fits (and is counted), else the seconds until it would fit."""
        limits, key = self.limits, (token, chat_id)
        interval = 1.0 / limits.chat_per_second
        tat = self.chat_tat.get(key, now)
        waits = [
            self._window_wait(self.global_sends[token], limits.global_per_second, 1.0, now),
            max(0.0, tat - (limits.chat_burst - 1) * interval - now),
        ]
        if chat_id < 0:
            waits.append(
                self._window_wait(
                    self.group_sends[key], limits.group_per_window, limits.group_window, now
                )
            )
        wait = max(waits)
        if wait > 0:
            return wait
        self.global_sends[token].append(now)
        if chat_id < 0:
            self.group_sends[key].append(now)
        self.chat_tat[key] = max(tat, now) + interval
        return 0.0


_FAULT_ANSWERS = {
    "429": (429, "Too Many Requests: retry after {retry_after}"),
    "500": (500, "Internal Server Error"),
    "400_parse": (
        400,
        'Bad Request: can\'t parse entities: Unsupported start tag "x" at byte offset 0',
    ),
    "400_photo": (400, "Bad Request: wrong file identifier/HTTP URL specified"),
    "403": (403, "Forbidden: bot was kicked from the channel chat"),
    "400": (400, "Bad Request: something went wrong"),
}
FAULT_KINDS = frozenset([*_FAULT_ANSWERS, "502", "drop", "drop_after", "slow"])
_BAD_GATEWAY = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n"
    b"</body>\r\n</html>\r\n"
)
_SEND_METHODS = frozenset({"sendmessage", "sendphoto"})
_TOKEN = re.compile(r"^\d+:[A-Za-z0-9_-]+$")
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
_FILE_ID = re.compile(r"^[A-Za-z0-9_-]{20,}$")
_JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "link_preview_options",
        "entities",
        "caption_entities",
        "allowed_updates",
        "commands",
        "scope",
        "reply_parameters",
    }
)
_BOOL_PREFIXES = ("disable_", "protect_", "allow_", "show_", "is_", "drop_", "has_")
_INT_FIELDS = frozenset({"offset", "limit", "timeout", "message_id", "user_id", "cache_time"})


def _coerce(name: str, value: Any) -> Any:
    """Form values arrive as strings (PTB JSON-encodes non-strings); type them like Telegram."""
    if not isinstance(value, str):
        return value
    if name in _JSON_FIELDS:
        try:
            return json.loads(value)
        except ValueError:
            return value
    if name in _INT_FIELDS or name == "chat_id":
        return int(value) if re.fullmatch(r"-?\d+", value) else value
    if value in ("true", "false") and name.startswith(_BOOL_PREFIXES):
        return value == "true"
    return value


def _chat_key(chat_id: Any) -> int | str:
    if isinstance(chat_id, str) and re.fullmatch(r"-?\d+", chat_id):
        return int(chat_id)
    return chat_id


def _matches(record: Mapping[str, Any], filters: Mapping[str, Any]) -> bool:
    for key, wanted in filters.items():
        if wanted is None:
            continue
        value = record.get(key)
        if key == "method":
            names = wanted if isinstance(wanted, list | tuple | set) else str(wanted).split(",")
            if str(value).lower() not in {str(n).lower() for n in names}:
                return False
        elif value != wanted and str(value) != str(wanted):
            return False
    return True


class FakeBotAPI:
    """The fake server. Thread-safe; all state sits behind one condition variable."""

    def __init__(
        self,
        chats: Mapping[int | str, Mapping[str, Any]] | Iterable[int] | None = None,
        *,
        limits: bool | Limits = True,
        port: int = 0,
        bot_name: str = "Fake Bot",
        bot_username: str = "fake_test_bot",
        tokens: Iterable[str] | None = None,
    ) -> None:
        self.tokens = frozenset(tokens or ())  # accepted tokens; empty: any well-formed one
        self.limits = Limits() if limits is True else limits or None
        self.port = port
        self.bot_name, self.bot_username = bot_name, bot_username
        specs = chats.items() if isinstance(chats, Mapping) else ((c, {}) for c in chats or ())
        self._chat_specs = [(int(chat_id), dict(spec)) for chat_id, spec in specs]
        self._cond = threading.Condition()
        self._update_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._connections: set[socket.socket] = set()
        self._pusher: threading.Thread | None = None
        self._clear()

    # --- lifecycle ----------------------------------------------------------------------------

    def start(self) -> FakeBotAPI:
        handler = type("Handler", (_Handler,), {"api": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},  # stop() waits up to one poll interval
            name="fake-bot-api",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
            connections = list(self._connections)
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        for connection in connections:  # keep-alive clients must see the server go away
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeBotAPI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    def reset(self) -> None:
        """Forget calls, updates, messages, faults and limiter state; restore the startup chats."""
        with self._cond:
            self._clear()
            self._cond.notify_all()

    def _clear(self) -> None:
        self._chats: dict[int, FakeChat] = {}
        for chat_id, spec in self._chat_specs:
            self._add_chat(chat_id, **copy.deepcopy(spec))
        self._calls: list[dict[str, Any]] = []
        self._updates: list[dict[str, Any]] = []
        self._faults: dict[str, collections.deque[dict[str, Any]]] = collections.defaultdict(
            collections.deque
        )
        self._flood = FloodControl(self.limits) if self.limits else None
        self._callbacks: dict[str, bool] = {}  # id -> answered
        self._commands: dict[str, list[dict[str, str]]] = {}
        self._broken_photos: dict[str, str] = {}
        self._epoch = getattr(self, "_epoch", 0) + 1
        self._last_token = "1:FAKE"
        self._webhook: str | None = None  # with a webhook set, injected updates are pushed there
        self._webhook_secret: str | None = None
        self._webhook_error: tuple[int, str] | None = None

    # --- test-facing API ----------------------------------------------------------------------

    def add_chat(self, chat_id: int, type: str = "channel", **spec: Any) -> FakeChat:
        """Register a chat: title, username, first_name, kicked, blocked, migrate_to, admins."""
        with self._cond:
            return self._add_chat(chat_id, type=type, **spec)

    def _add_chat(self, chat_id: int, type: str = "channel", **spec: Any) -> FakeChat:
        spec["admins"] = set(spec.get("admins", ()))
        chat = self._chats.get(int(chat_id))
        if chat is None:
            chat = self._chats[int(chat_id)] = FakeChat(id=int(chat_id), type=type, **spec)
        else:
            chat.type = type
            for key, value in spec.items():
                setattr(chat, key, value)
        return chat

    def break_photo(self, url: str, description: str = "failed to get HTTP URL content") -> None:
        """Make sendPhoto with this URL fail as when Telegram cannot fetch it."""
        with self._cond:
            self._broken_photos[url] = f"Bad Request: {description}"

    def script_fault(
        self,
        method: str,
        kind: str,
        *,
        count: int = 1,
        retry_after: int = 1,
        description: str | None = None,
        seconds: float = 1.0,
    ) -> None:
        """Queue one-shot faults for a method, consumed in order by the next calls."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; one of {sorted(FAULT_KINDS)}")
        fault = {
            "kind": kind,
            "retry_after": retry_after,
            "description": description,
            "seconds": seconds,
        }
        with self._cond:
            self._faults[method.lower()].extend(dict(fault) for _ in range(count))

    def inject_update(
        self,
        text: str | None = None,
        user_id: int = 1001,
        chat_id: int | None = None,
        *,
        first_name: str = "Tester",
        language_code: str | None = "id",
        username: str | None = None,
        kind: str = "message",
        callback_data: str | None = None,
        message_id: int | None = None,
    ) -> dict[str, Any]:
        """A user writes to the bot (or presses a button); returns the queued update."""
        user = {"id": user_id, "is_bot": False, "first_name": first_name}
        if language_code:
            user["language_code"] = language_code
        if username:
            user["username"] = username
        with self._cond:
            chat = self._chat_for_user(chat_id if chat_id is not None else user_id, user)
            if kind == "callback_query":
                body = self._callback_body(chat, user, callback_data, message_id)
            elif kind == "message":
                body = self._user_message(chat, user, text or "")
            else:
                raise ValueError(f"unknown update kind {kind!r}")
            update = {"update_id": next(self._update_ids), kind: body}
            self._updates.append(update)
            self._cond.notify_all()
            return copy.deepcopy(update)

    def unconfirmed_updates(self) -> list[int]:
        """Ids of the updates no getUpdates has confirmed yet (with a higher offset): a bot
        that dies now gets them again, as from Telegram."""
        with self._cond:
            return [update["update_id"] for update in self._updates]

    def calls(
        self, method: str | None = None, chat_id: int | str | None = None, **filters: Any
    ) -> list[dict[str, Any]]:
        with self._cond:
            return self._find(method=method, chat_id=chat_id, **filters)

    def _find(self, **filters: Any) -> list[dict[str, Any]]:
        return [copy.deepcopy(c) for c in self._calls if _matches(c, filters)]

    def messages(self, chat_id: int | str) -> list[dict[str, Any]]:
        with self._cond:
            chat = self._chats.get(_chat_key(chat_id))  # type: ignore[arg-type]
            return copy.deepcopy(chat.messages) if chat else []

    def wait_for_calls(
        self, count: int = 1, timeout: float = 5.0, **filters: Any
    ) -> list[dict[str, Any]]:
        """Block until `count` calls match the filters; TimeoutError names what was seen."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = self._find(**filters)
                remaining = deadline - time.monotonic()
                if len(found) >= count:
                    return found
                if remaining <= 0:
                    seen = [(c["method"], c["chat_id"], c["status"]) for c in self._calls]
                    raise TimeoutError(
                        f"{len(found)}/{count} calls matching {filters} after {timeout}s; "
                        f"seen {seen[-20:]}"
                    )
                self._cond.wait(remaining)

    async def await_calls(
        self,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109
        **filters: Any,
    ) -> list[dict[str, Any]]:
        return await asyncio.to_thread(self.wait_for_calls, count, timeout, **filters)

    # --- bookkeeping --------------------------------------------------------------------------

    def _record(
        self,
        token: str,
        method: str,
        params: dict[str, Any],
        status: int,
        answer: dict[str, Any] | None,
        fault: str | None,
        started: float,
    ) -> None:
        result = (answer or {}).get("result")
        message_id = result.get("message_id") if isinstance(result, dict) else None
        record = {
            "time": time.time(),
            "token": token,
            "method": method,
            "chat_id": _chat_key(params.get("chat_id")),
            "text": params.get("text"),
            "parse_mode": params.get("parse_mode"),
            "caption": params.get("caption"),
            "photo": params.get("photo"),  # a URL, a file_id, or {"filename", "size"} of an upload
            "params": dict(params),
            "status": status,
            "ok": status == 200,
            "description": (answer or {}).get("description"),
            "retry_after": ((answer or {}).get("parameters") or {}).get("retry_after"),
            "message_id": message_id,
            "fault": fault,
            "duration_ms": round((time.monotonic() - started) * 1000, 1),
        }
        with self._cond:
            record["seq"] = len(self._calls) + 1
            self._calls.append(record)
            self._cond.notify_all()

    def _take_fault(self, method: str) -> dict[str, Any] | None:
        with self._cond:
            queue = self._faults.get(method.lower())
            return queue.popleft() if queue else None

    def _chat(self, chat_id: Any) -> FakeChat:
        key = _chat_key(chat_id)
        if isinstance(key, str) and key.startswith("@"):
            found = [c for c in self._chats.values() if c.username and f"@{c.username}" == key]
            chat = found[0] if found else None
        else:
            chat = self._chats.get(key) if isinstance(key, int) else None
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        return chat

    def _chat_for_user(self, chat_id: int, user: dict[str, Any]) -> FakeChat:
        if chat_id in self._chats:
            return self._chats[chat_id]
        if chat_id == user["id"]:
            return self._add_chat(chat_id, type="private", first_name=user["first_name"])
        return self._add_chat(chat_id, type="group", title=f"Group {chat_id}")

    def _bot_user(self, token: str | None = None) -> dict[str, Any]:
        return {
            "id": int((token or self._last_token).split(":")[0]),
            "is_bot": True,
            "first_name": self.bot_name,
            "username": self.bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def _user_message(self, chat: FakeChat, user: dict[str, Any], text: str) -> dict[str, Any]:
        message = self._new_message(chat, {"from": user, "text": text})
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": _utf16_len(command)}
            ]
        chat.messages.append(message)
        return copy.deepcopy(message)

    def _callback_body(
        self, chat: FakeChat, user: dict[str, Any], data: str | None, message_id: int | None
    ) -> dict[str, Any]:
        found = [m for m in chat.messages if m["message_id"] == message_id]
        message = (
            found[0]
            if found
            else {
                "message_id": message_id or 1,
                "date": int(time.time()),
                "chat": chat.as_json(),
                "from": self._bot_user(),
                "text": "…",
            }
        )
        query_id = str(next(self._callback_ids))
        self._callbacks[query_id] = False
        body = {
            "id": query_id,
            "from": user,
            "chat_instance": str(chat.id),
            "message": copy.deepcopy(message),
        }
        if data is not None:
            body["data"] = data
        return body

    def _new_message(self, chat: FakeChat, fields: dict[str, Any]) -> dict[str, Any]:
        message = {
            "message_id": chat.next_message_id,
            "date": int(time.time()),
            "chat": chat.as_json(),
            **fields,
        }
        chat.next_message_id += 1
        return message

    # --- Bot API methods (called with the condition held) ------------------------------------

    def call(self, token: str, method: str, params: dict[str, Any]) -> Any:
        handler = getattr(self, f"_m_{method.lower()}", None)
        if handler is None:
            raise ApiError(404, "Not Found")
        if self.tokens and token not in self.tokens:
            raise ApiError(401, "Unauthorized")
        self._last_token = token
        if method.lower() == "getupdates":
            return handler(token, params)  # waits on the condition itself
        with self._cond:
            return handler(token, params)

    def _m_getme(self, token: str, params: dict[str, Any]) -> Any:
        return self._bot_user(token)

    def _m_getupdates(self, token: str, params: dict[str, Any]) -> Any:
        if self._webhook:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset, limit = params.get("offset"), min(max(int(params.get("limit") or 100), 1), 100)
        deadline = time.monotonic() + min(max(int(params.get("timeout") or 0), 0), 50)
        with self._cond:
            if isinstance(offset, int) and offset > 0:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            elif isinstance(offset, int) and offset < 0:
                self._updates = self._updates[offset:]
            epoch = self._epoch
            while not self._updates and not self._stopping and epoch == self._epoch:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(remaining)
            return copy.deepcopy(self._updates[:limit])

    def _m_deletewebhook(self, token: str, params: dict[str, Any]) -> Any:
        self._webhook = None
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _m_setwebhook(self, token: str, params: dict[str, Any]) -> Any:
        url = str(params.get("url") or "")
        if url:
            host = (urlsplit(url).hostname or "").lower()
            if not re.match(r"^https?://", url):
                raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided")
            if host not in ("localhost", "::1") and not host.startswith("127."):
                raise ApiError(
                    400, "Bad Request: bad webhook: the test server delivers to loopback only"
                )
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        self._webhook, self._webhook_secret = url or None, secret or None
        if params.get("drop_pending_updates"):
            self._updates.clear()
        if self._webhook and (self._pusher is None or not self._pusher.is_alive()):
            self._pusher = threading.Thread(
                target=self._push_webhook, name="fake-webhook-pusher", daemon=True
            )
            self._pusher.start()
        self._cond.notify_all()
        return True

    def _m_getwebhookinfo(self, token: str, params: dict[str, Any]) -> Any:
        info: dict[str, Any] = {
            "url": self._webhook or "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self._webhook_error:
            info["last_error_date"], info["last_error_message"] = self._webhook_error
        return info

    def _push_webhook(self) -> None:
        """POST pending updates to the webhook one at a time, oldest first, as Telegram does:
        the secret in X-Telegram-Bot-Api-Secret-Token; an update leaves the queue only on a 2xx
        answer; failures are retried after 0.5 s doubling to 4 s. Each try is a call record
        with method ``_webhook``, its ``update_id``, ``status`` (0 = no connection) and ``ok``."""
        backoff = 0.5
        while True:
            with self._cond:
                while not self._stopping and not (self._webhook and self._updates):
                    self._cond.wait(1.0)
                if self._stopping:
                    return
                url, secret = self._webhook, self._webhook_secret
                update = copy.deepcopy(self._updates[0])
            status, error = self._post_update(url, secret, update)
            ok = 200 <= status < 300
            with self._cond:
                if ok:
                    self._updates = [
                        u for u in self._updates if u["update_id"] != update["update_id"]
                    ]
                else:
                    self._webhook_error = (int(time.time()), error or f"status {status}")
                self._calls.append(
                    {
                        "time": time.time(),
                        "seq": len(self._calls) + 1,
                        "method": "_webhook",
                        "url": url,
                        "update_id": update["update_id"],
                        "chat_id": None,
                        "status": status,
                        "ok": ok,
                        "description": error,
                        "params": {},
                    }
                )
                self._cond.notify_all()
                if not ok:
                    self._cond.wait(backoff)
            backoff = 0.5 if ok else min(backoff * 2, 4.0)

    @staticmethod
    def _post_update(
        url: str, secret: str | None, update: dict[str, Any]
    ) -> tuple[int, str | None]:
        headers = {"Content-Type": "application/json"}
        if secret:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        request = urllib.request.Request(
            url, data=json.dumps(update).encode(), headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, None
        except urllib.error.HTTPError as exc:
            return exc.code, f"Wrong response from the webhook: {exc.code} {exc.reason}"
        except (OSError, ValueError) as exc:  # refused, reset, timed out
            return 0, f"Connection failed: {type(exc).__name__}"

    def _m_close(self, token: str, params: dict[str, Any]) -> Any:
        return True

    _m_logout = _m_close

    def _m_setmycommands(self, token: str, params: dict[str, Any]) -> Any:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise ApiError(400, 'Bad Request: field "commands" must be an Array')
        if len(commands) > 100:
            raise ApiError(400, "Bad Request: BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            name, about = str(command.get("command", "")), str(command.get("description", ""))
            if not _COMMAND.match(name.lower()) or not 1 <= len(about) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        self._commands[self._commands_key(params)] = commands
        return True

    def _m_getmycommands(self, token: str, params: dict[str, Any]) -> Any:
        return self._commands.get(self._commands_key(params), [])

    def _m_deletemycommands(self, token: str, params: dict[str, Any]) -> Any:
        self._commands.pop(self._commands_key(params), None)
        return True

    @staticmethod
    def _commands_key(params: dict[str, Any]) -> str:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps([scope, params.get("language_code") or ""], sort_keys=True)

    def _m_getchat(self, token: str, params: dict[str, Any]) -> Any:
        chat = self._chat(params.get("chat_id"))
        if chat.kicked:
            chat.check_can_send()
        gifts = {
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        }
        return {
            **chat.as_json(),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": gifts,
        }

    def _m_getchatmember(self, token: str, params: dict[str, Any]) -> Any:
        chat = self._chat(params.get("chat_id"))
        user_id = int(params.get("user_id") or 0)
        bot = self._bot_user(token)
        if user_id == bot["id"]:
            status = "kicked" if chat.kicked else "administrator"
            user = {k: bot[k] for k in ("id", "is_bot", "first_name", "username")}
        else:
            status = "administrator" if user_id in chat.admins else "member"
            user = {"id": user_id, "is_bot": False, "first_name": f"User {user_id}"}
        if status == "kicked":
            return {"status": "kicked", "user": user, "until_date": 0}
        if status == "member" or chat.type == "private":
            return {"status": "member", "user": user}
        rights = [
            "can_be_edited",
            "is_anonymous",
            "can_manage_chat",
            "can_delete_messages",
            "can_manage_video_chats",
            "can_restrict_members",
            "can_promote_members",
            "can_change_info",
            "can_invite_users",
            "can_post_stories",
            "can_edit_stories",
            "can_delete_stories",
            "can_post_messages",
            "can_edit_messages",
        ]
        return {
            "status": "administrator",
            "user": user,
            **{right: right not in ("can_be_edited", "is_anonymous") for right in rights},
        }

    def _m_answercallbackquery(self, token: str, params: dict[str, Any]) -> Any:
        query_id = str(params.get("callback_query_id"))
        if self._callbacks.get(query_id, True):
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        self._callbacks[query_id] = True
        return True

    def _m_sendmessage(self, token: str, params: dict[str, Any]) -> Any:
        chat = self._chat(params.get("chat_id"))
        chat.check_can_send()
        text, entities = render_text(
            str(params.get("text") or ""), params.get("parse_mode"), MAX_TEXT, "text"
        )
        fields: dict[str, Any] = {"text": text}
        if entities:
            fields["entities"] = entities
        return self._deliver(token, chat, fields, params)

    def _m_sendphoto(self, token: str, params: dict[str, Any]) -> Any:
        chat = self._chat(params.get("chat_id"))
        chat.check_can_send()
        photo = params.get("photo")
        if isinstance(photo, str):
            if not (photo.startswith(("http://", "https://")) or _FILE_ID.match(photo)):
                raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
            if photo in self._broken_photos:
                raise ApiError(400, self._broken_photos[photo])
        elif not isinstance(photo, dict) or not photo.get("size"):
            raise ApiError(400, "Bad Request: there is no photo in the request")
        fields: dict[str, Any] = {"photo": self._photo_sizes(chat)}
        if params.get("caption"):
            caption, entities = render_text(
                str(params["caption"]), params.get("parse_mode"), MAX_CAPTION, "caption"
            )
            fields["caption"] = caption
            if entities:
                fields["caption_entities"] = entities
        return self._deliver(token, chat, fields, params)

    @staticmethod
    def _photo_sizes(chat: FakeChat) -> list[dict[str, Any]]:
        unique = f"AgAD{chat.id & 0xFFFFFF:06x}{chat.next_message_id:06d}"
        return [
            {
                "file_id": f"{unique}-{side}",
                "file_unique_id": f"{unique}{side}",
                "width": side,
                "height": side * 3 // 4,
                "file_size": side * 40,
            }
            for side in (320, 800)
        ]

    def _deliver(
        self, token: str, chat: FakeChat, fields: dict[str, Any], params: dict[str, Any]
    ) -> dict[str, Any]:
        if self._flood is not None:
            wait = self._flood.admit(token, chat.id, time.monotonic())
            if wait > 0:
                retry_after = max(1, math.ceil(wait))
                raise ApiError(
                    429,
                    f"Too Many Requests: retry after {retry_after}",
                    {"retry_after": retry_after},
                )
        sender = (
            {"sender_chat": chat.as_json()}
            if chat.type == "channel"
            else {
                "from": {
                    k: v
                    for k, v in self._bot_user(token).items()
                    if k in ("id", "is_bot", "first_name", "username")
                }
            }
        )
        if isinstance(params.get("reply_markup"), dict):
            fields["reply_markup"] = params["reply_markup"]
        message = self._new_message(chat, {**sender, **fields})
        chat.messages.append(message)
        return copy.deepcopy(message)

    def _m_editmessagetext(self, token: str, params: dict[str, Any]) -> Any:
        chat = self._chat(params.get("chat_id"))
        message = self._stored_message(chat, params.get("message_id"), "edit")
        if "text" not in message:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        text, entities = render_text(
            str(params.get("text") or ""), params.get("parse_mode"), MAX_TEXT, "text"
        )
        return self._edit(message, {"text": text, "entities": entities}, params)

    def _m_editmessagecaption(self, token: str, params: dict[str, Any]) -> Any:
        chat = self._chat(params.get("chat_id"))
        message = self._stored_message(chat, params.get("message_id"), "edit")
        if "photo" not in message:
            raise ApiError(400, "Bad Request: there is no caption in the message to edit")
        caption, entities = render_text(
            str(params.get("caption") or ""), params.get("parse_mode"), MAX_CAPTION, "caption"
        )
        return self._edit(message, {"caption": caption, "caption_entities": entities}, params)

    def _m_editmessagereplymarkup(self, token: str, params: dict[str, Any]) -> Any:
        chat = self._chat(params.get("chat_id"))
        message = self._stored_message(chat, params.get("message_id"), "edit")
        return self._edit(message, {}, params)

    @staticmethod
    def _edit(message: dict[str, Any], content: dict[str, Any], params: dict[str, Any]) -> Any:
        """Telegram refuses an edit that changes nothing; an edit without reply_markup drops
        the inline keyboard."""
        markup = params.get("reply_markup")
        current = {key: message.get(key, [] if "entities" in key else None) for key in content}
        if (content, markup) == (current, message.get("reply_markup")):
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message "
                "content and reply markup are exactly the same as a current "
                "content and reply markup of the message",
            )
        message.update(content, edit_date=int(time.time()))
        if markup is None:
            message.pop("reply_markup", None)
        else:
            message["reply_markup"] = markup
        return copy.deepcopy(message)

    def _m_deletemessage(self, token: str, params: dict[str, Any]) -> Any:
        chat = self._chat(params.get("chat_id"))
        message = self._stored_message(chat, params.get("message_id"), "delete")
        chat.messages.remove(message)
        return True

    @staticmethod
    def _stored_message(chat: FakeChat, message_id: Any, action: str) -> dict[str, Any]:
        for message in chat.messages:
            if message["message_id"] == message_id:
                return message
        raise ApiError(400, f"Bad Request: message to {action} not found")

    # --- control API --------------------------------------------------------------------------

    def control(self, verb: str, path: str, query: dict[str, str], body: dict[str, Any]) -> Any:
        if path == "health":
            return {"calls": len(self._calls), "port": self.port}
        if path == "calls":
            filters = {k: _coerce(k, v) for k, v in query.items() if k not in ("wait", "min_count")}
            if "min_count" in query:
                return self.wait_for_calls(
                    int(query["min_count"]), float(query.get("wait", 5)), **filters
                )
            return self.calls(**filters)
        if path == "messages":
            return self.messages(query.get("chat_id", ""))
        if verb == "POST" and path == "inject_update":
            return self.inject_update(**body)
        if verb == "POST" and path == "fault":
            self.script_fault(**body)
            return True
        if verb == "POST" and path == "chat":
            return self.add_chat(**body).as_json()
        if verb == "POST" and path == "reset":
            self.reset()
            return True
        raise ApiError(404, "Not Found")


def _read_params(content_type: str, body: bytes, query: str) -> dict[str, Any]:
    raw: dict[str, Any] = {k: v[-1] for k, v in parse_qs(query).items()}
    if content_type.startswith("application/json") and body:
        loaded = json.loads(body)
        raw.update(loaded if isinstance(loaded, dict) else {})
    elif content_type.startswith("application/x-www-form-urlencoded"):
        raw.update({k: v[-1] for k, v in parse_qs(body.decode("utf-8")).items()})
    elif content_type.startswith("multipart/form-data"):
        head = f"Content-Type: {content_type}\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
        for part in message.iter_parts():  # type: ignore[attr-defined]
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True) or b""
            filename = part.get_filename()
            raw[name] = (
                {"filename": filename, "size": len(payload)}
                if filename
                else (payload.decode("utf-8"))
            )
    return {name: _coerce(name, value) for name, value in raw.items()}


class _Handler(BaseHTTPRequestHandler):
    api: FakeBotAPI
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: with Nagle's algorithm the body waited for the
    # client's delayed ACK, 40 ms on every answer, which Telegram's servers do not add.
    disable_nagle_algorithm = True

    def setup(self) -> None:
        super().setup()
        with self.api._cond:
            self.api._connections.add(self.connection)

    def finish(self) -> None:
        with self.api._cond:
            self.api._connections.discard(self.connection)
        super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the call log is the record."""

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def _handle(self) -> None:
        started = time.monotonic()
        parts = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            params = _read_params(self.headers.get("Content-Type", ""), body, parts.query)
        except (ValueError, UnicodeDecodeError):
            self._answer(
                400,
                {
                    "ok": False,
                    "error_code": 400,
                    "description": "Bad Request: can't parse request parameters",
                },
            )
            return
        if parts.path.startswith("/_control/"):
            self._control(parts.path.removeprefix("/_control/"), params)
            return
        match = re.fullmatch(r"/bot([^/]+)/([A-Za-z]+)", parts.path)
        if not match or not _TOKEN.match(match.group(1)):
            self._answer(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        self._api_call(match.group(1), match.group(2), params, started)

    def _api_call(self, token: str, method: str, params: dict[str, Any], started: float) -> None:
        fault = self.api._take_fault(method)
        kind = fault["kind"] if fault else None
        if kind == "drop":
            self.api._record(token, method, params, 0, None, kind, started)
            self.close_connection = True
            return
        if kind == "slow":
            time.sleep(fault["seconds"])  # type: ignore[index]
        if kind == "502":
            self.api._record(token, method, params, 502, None, kind, started)
            self._answer(502, _BAD_GATEWAY, "text/html")
            return
        if kind in _FAULT_ANSWERS:
            status, description = _FAULT_ANSWERS[kind]  # type: ignore[index]
            error = ApiError(
                status,
                fault.get("description") or description.format(**fault),  # type: ignore[union-attr]
                {"retry_after": fault["retry_after"]} if kind == "429" else None,
            )  # type: ignore[index]
            answer = self._error(error)
        else:
            try:
                answer = {"ok": True, "result": self.api.call(token, method, params)}
            except ApiError as exc:
                answer = self._error(exc)
        status = answer.get("error_code", 200)
        self.api._record(
            token, method, params, 0 if kind == "drop_after" else status, answer, kind, started
        )
        if kind == "drop_after":
            self.close_connection = True
            return
        self._answer(status, answer)

    @staticmethod
    def _error(exc: ApiError) -> dict[str, Any]:
        answer = {"ok": False, "error_code": exc.code, "description": exc.description}
        if exc.parameters:
            answer["parameters"] = exc.parameters
        return answer

    def _control(self, path: str, params: dict[str, Any]) -> None:
        if path == "shutdown":
            self._answer(200, {"ok": True, "result": True})
            threading.Thread(target=self.api.stop, daemon=True).start()
            return
        query = {k: str(v) for k, v in params.items()} if self.command == "GET" else {}
        try:
            result = self.api.control(self.command, path, query, params)
        except ApiError as exc:
            self._answer(exc.code, self._error(exc))
        except (TypeError, ValueError, TimeoutError) as exc:
            self._answer(400, {"ok": False, "error_code": 400, "description": str(exc)})
        else:
            self._answer(200, {"ok": True, "result": result})

    def _answer(self, status: int, payload: Any, content_type: str = "application/json") -> None:
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _chat_arg(value: str) -> tuple[int, dict[str, Any]]:
    """ID[:TYPE[:TITLE[:FLAG]]] with FLAG kicked|blocked|migrate=<id>."""
    chat_id, chat_type, title, flag = ([*value.split(":", 3), "", "", ""])[:4]
    spec: dict[str, Any] = {"type": chat_type or ("private" if int(chat_id) > 0 else "channel")}
    if title:
        spec["title" if spec["type"] != "private" else "first_name"] = title
    if flag in ("kicked", "blocked"):
        spec[flag] = True
    elif flag.startswith("migrate="):
        spec["migrate_to"] = int(flag.removeprefix("migrate="))
    return int(chat_id), spec


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Fake Telegram Bot API for humasbot tests")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument(
        "--chat",
        action="append",
        default=[],
        type=_chat_arg,
        help="ID[:TYPE[:TITLE[:FLAG]]], e.g. --chat=-1001:channel:Humas",
    )
    parser.add_argument("--no-limits", action="store_true")
    parser.add_argument("--max-seconds", type=float, default=600)
    args = parser.parse_args(argv)
    server = FakeBotAPI(dict(args.chat), limits=not args.no_limits, port=args.port).start()
    print(
        f"FAKE_BOT_API_READY {server.url} base_url={server.base_url} "
        f"base_file_url={server.base_file_url}",
        flush=True,
    )
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    deadline = time.monotonic() + args.max_seconds
    try:
        while not done.is_set() and not server._stopping and time.monotonic() < deadline:
            done.wait(0.2)
    except KeyboardInterrupt:
        pass
    server.stop()


if __name__ == "__main__":
    main()
