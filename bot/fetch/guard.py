"""The SSRF guard: feeds may only be fetched from public internet addresses.

:class:`AddressGuard` wraps the real transport, so it sees every request the client sends,
including each redirect hop (the fetcher follows redirects itself, one request per hop). For
each request it resolves the host through the event loop's ``getaddrinfo`` and refuses the
request when *any* address is not a public unicast address (loopback, RFC 1918 private,
link-local, CGNAT 100.64/10, reserved, unspecified, multicast, documentation ranges, the
deprecated IPv4-compatible ``::a.b.c.d`` and site-local ``fec0::/10`` ranges, and the IPv4
address inside IPv4-mapped, 6to4, Teredo and NAT64 IPv6 addresses). It then connects to one of
the checked addresses itself: the request URL is rewritten to the IP, the Host header keeps the
name, and TLS uses the name for SNI and certificate checks (httpcore's ``sni_hostname``). A DNS
answer that changes between the check and the connection (DNS rebinding) therefore cannot
redirect the connection. Proxies from the environment are not used (the client has
``trust_env=False``), since a proxy would connect to the name on its own.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable

import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[list[str]]]


class AddressRefused(Exception):
    """The host is, or resolves to, an address the bot must not fetch from."""


# Never a public destination, though Python counts them global: IPv4-compatible addresses
# (deprecated by RFC 4291, whatever IPv4 they carry) and site-local ones (deprecated, RFC 3879).
_NEVER_PUBLIC = (ipaddress.ip_network("::/96"), ipaddress.ip_network("fec0::/10"))
_NAT64_WELL_KNOWN = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052
_NAT64_LOCAL_USE = ipaddress.ip_network("64:ff9b:1::/48")  # RFC 8215: any RFC 6052 length
_NAT64_LENGTHS = (48, 56, 64, 96)  # the prefix lengths that fit inside 64:ff9b:1::/48


def _nat64_ipv4(address: ipaddress.IPv6Address, prefix: int) -> ipaddress.IPv4Address:
    """The IPv4 address an RFC 6052 prefix of this length carries (bits 64-71 are skipped)."""
    raw = address.packed
    if prefix == 96:
        return ipaddress.IPv4Address(raw[12:])
    without_u = raw[:8] + raw[9:]
    start = prefix // 8
    return ipaddress.IPv4Address(without_u[start : start + 4])


def _embedded_ipv4(address: IPAddress) -> list[IPAddress]:
    if isinstance(address, ipaddress.IPv4Address):
        return []
    inner: list[IPAddress] = []
    if address.ipv4_mapped is not None:
        inner.append(address.ipv4_mapped)
    if address.sixtofour is not None:
        inner.append(address.sixtofour)
    if address.teredo is not None:
        inner.extend(address.teredo)
    if address in _NAT64_WELL_KNOWN:
        inner.append(_nat64_ipv4(address, 96))
    elif address in _NAT64_LOCAL_USE:
        inner.extend(_nat64_ipv4(address, length) for length in _NAT64_LENGTHS)
    return inner


def is_public_address(address: IPAddress) -> bool:
    """True for a global unicast address; the IPv4 inside mapped, 6to4, Teredo and NAT64
    addresses must be too."""
    if not address.is_global or address.is_multicast:
        return False
    if any(address in network for network in _NEVER_PUBLIC):
        return False
    return all(is_public_address(inner) for inner in _embedded_ipv4(address))


def _shown(address: IPAddress) -> str:
    mapped = getattr(address, "ipv4_mapped", None)
    return f"::ffff:{mapped}" if mapped is not None else str(address)


async def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to, in the resolver's order, without duplicates."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


async def checked_addresses(host: str, port: int, resolver: Resolver) -> list[str]:
    """The host's addresses, or :class:`AddressRefused` naming the first non-public one."""
    try:
        literal: IPAddress | None = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        literal = None
    if literal is not None:
        if not is_public_address(literal):
            raise AddressRefused(f"refused: {_shown(literal)} is a private address")
        return [str(literal)]
    try:
        found = await resolver(host, port)
    except (OSError, UnicodeError) as exc:
        raise AddressRefused(f"cannot resolve host {host}: {exc}") from None
    if not found:
        raise AddressRefused(f"cannot resolve host {host}")
    for text in found:
        address = ipaddress.ip_address(text.split("%", 1)[0])
        if not is_public_address(address):
            raise AddressRefused(
                f"refused: {host} resolves to {_shown(address)}, a private address"
            )
    return found


class AddressGuard(httpx.AsyncBaseTransport):
    """A transport that checks, then pins, the address of every request (see module doc)."""

    def __init__(self, inner: httpx.AsyncBaseTransport, resolver: Resolver | None = None) -> None:
        self._inner = inner
        self._resolver = resolver or system_resolver

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        port = request.url.port or (443 if request.url.scheme == "https" else 80)
        addresses = await checked_addresses(host, port, self._resolver)
        if request.url.scheme == "https":
            request.extensions = {**request.extensions, "sni_hostname": host}
        for address in addresses[:-1]:
            request.url = request.url.copy_with(host=address)
            try:
                return await self._inner.handle_async_request(request)
            except httpx.ConnectError:  # try the next checked address
                continue
        request.url = request.url.copy_with(host=addresses[-1])
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()
