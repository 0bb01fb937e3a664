"""Read a response body with a cap on its decoded size.

httpx's own decoders inflate each network chunk in one go (a 64 KiB gzip chunk can become
64 MiB), so the body is read raw and inflated here with zlib's ``max_length``: no more than
the cap plus one byte is ever produced, however small and explosive the compressed body is.
Only gzip and deflate are asked for (Accept-Encoding), so only they are decoded.
"""

from __future__ import annotations

import zlib

import httpx

ACCEPT_ENCODING = "gzip, deflate"


class BodyError(Exception):
    """The body cannot be used; the message says why, for the operator log."""


class _Inflater:
    """Incremental gzip/deflate decoding that never produces more than it is allowed to."""

    def __init__(self, encoding: str) -> None:
        self._wbits = 16 + zlib.MAX_WBITS if encoding in ("gzip", "x-gzip") else zlib.MAX_WBITS
        self._raw_deflate_fallback = encoding == "deflate"  # some servers send headerless deflate
        self._inflater = zlib.decompressobj(self._wbits)
        self._started = False

    def inflate(self, data: bytes, budget: int) -> bytes:
        out = bytearray()
        while data and len(out) < budget:
            try:
                out += self._inflater.decompress(data, budget - len(out))
            except zlib.error as exc:
                if self._raw_deflate_fallback and not self._started:
                    self._raw_deflate_fallback = False
                    self._wbits = -zlib.MAX_WBITS
                    self._inflater = zlib.decompressobj(self._wbits)
                    continue
                raise BodyError(f"cannot decompress the body: {exc}") from None
            self._started = True
            if self._inflater.eof:  # a gzip stream may hold several members
                data = self._inflater.unused_data
                self._inflater = zlib.decompressobj(self._wbits)
            else:
                data = self._inflater.unconsumed_tail
        if data:  # input left over means the budget ran out
            out += b"\0"
        return bytes(out)

    def flush(self) -> bytes:
        return self._inflater.flush() if self._started else b""


def _inflater_for(content_encoding: str | None) -> _Inflater | None:
    encoding = (content_encoding or "").strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip", "deflate"):
        return _Inflater(encoding)
    raise BodyError(f"unsupported Content-Encoding: {encoding}")


async def read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    """The decoded body, or :class:`BodyError` once it grows past ``max_bytes``."""
    inflater = _inflater_for(response.headers.get("content-encoding"))
    too_large = BodyError(f"body larger than {max_bytes} bytes")
    body = bytearray()
    async for chunk in response.aiter_raw():
        budget = max_bytes + 1 - len(body)
        body += inflater.inflate(chunk, budget) if inflater else chunk[:budget]
        if len(body) > max_bytes:
            raise too_large
    if inflater:
        body += inflater.flush()
    if len(body) > max_bytes:
        raise too_large
    return bytes(body)
