"""The SSRF guard: private addresses are refused at every hop; public ones are pinned."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

import httpx
import pytest

from bot.fetch import Fetcher
from bot.fetch.guard import AddressGuard, AddressRefused, is_public_address
from bot.settings import FetchConfig
from tests.fakes.feed_server import FeedServer

REFUSED = [
    "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
    "0.0.0.0", "224.0.0.1", "239.255.255.250", "255.255.255.255", "192.0.2.10", "::1", "::",
    "fe80::1", "fc00::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
    "2002:7f00:1::",  # 6to4 wrapping 127.0.0.1
    # NAT64 (RFC 6052) wrapping loopback, private, link-local and CGNAT addresses
    "64:ff9b::127.0.0.1", "64:ff9b::10.0.0.1", "64:ff9b::169.254.169.254",
    "64:ff9b::192.168.0.1", "64:ff9b::100.64.0.1",
    "64:ff9b:1::7f00:1",  # local-use NAT64 /96 wrapping 127.0.0.1
    "64:ff9b:1:7f00:0:100::",  # local-use NAT64 /48 wrapping 127.0.0.1 around the u octet
    "64:ff9b:1:0:a9:fea9:fe00:0",  # local-use NAT64 /64 wrapping 169.254.169.254
    # IPv4-compatible (deprecated ::/96) and site-local (deprecated fec0::/10)
    "::127.0.0.1", "::10.0.0.1", "::8.8.8.8", "fec0::1", "fec0::7f00:1", "feff::1",
]  # fmt: skip
ALLOWED = [
    "8.8.8.8", "93.184.216.34", "2001:4860:4860::8888", "2606:4700:4700::1111",
    "64:ff9b::8.8.8.8",  # NAT64 to a public address: how an IPv6-only network reaches IPv4
]  # fmt: skip


@pytest.mark.parametrize("address", REFUSED)
def test_non_public_addresses_are_refused(address: str) -> None:
    assert not is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ALLOWED)
def test_public_addresses_are_allowed(address: str) -> None:
    assert is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", "refused: 127.0.0.1 is a private address"),
        ("[::ffff:127.0.0.1]", "refused: ::ffff:127.0.0.1 is a private address"),
        ("localhost", "refused: localhost resolves to "),
        ("[64:ff9b::7f00:1]", "refused: 64:ff9b::7f00:1 is a private address"),
    ],
)
async def test_the_fetcher_refuses_the_local_server(
    server: FeedServer, make_fetcher: Callable[..., Fetcher], host: str, expected: str
) -> None:
    fetcher = make_fetcher(allow_private_addresses=False)
    result = await fetcher.fetch(server.url_for("/feed.rss", host=host))
    assert result.error and result.error.startswith(expected)
    assert result.error.endswith("a private address") and result.body is None
    assert server.requests() == []


async def test_a_redirect_to_a_private_address_is_refused() -> None:
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(301, headers={"Location": "http://169.254.169.254/latest/"})

    config = FetchConfig(allow_private_addresses=False)
    async with Fetcher(config, transport=httpx.MockTransport(answer)) as fetcher:
        result = await fetcher.fetch("http://93.184.216.34/feed.rss")
    assert result.error == "refused: 169.254.169.254 is a private address"
    assert seen == ["http://93.184.216.34/feed.rss"]


def _resolver(addresses: list[str]) -> Callable[[str, int], object]:
    async def resolve(host: str, port: int) -> list[str]:
        return addresses

    return resolve


async def test_the_guard_connects_to_the_checked_address() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=b"ok")

    guard = AddressGuard(httpx.MockTransport(answer), resolver=_resolver(["93.184.216.34"]))
    async with httpx.AsyncClient(transport=guard) as client:
        response = await client.get("https://feeds.example:8443/rss")
    assert response.status_code == 200
    (request,) = seen
    assert request.url.host == "93.184.216.34" and request.url.port == 8443
    assert request.headers["host"] == "feeds.example:8443"
    assert request.extensions["sni_hostname"] == "feeds.example"


async def test_one_private_answer_among_public_ones_is_refused() -> None:
    guard = AddressGuard(
        httpx.MockTransport(lambda request: httpx.Response(200)),
        resolver=_resolver(["93.184.216.34", "10.0.0.5"]),
    )
    async with httpx.AsyncClient(transport=guard) as client:
        with pytest.raises(AddressRefused, match=r"feeds\.example resolves to 10\.0\.0\.5"):
            await client.get("http://feeds.example/rss")


async def test_the_next_checked_address_is_tried_when_one_fails() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.host == "2606:4700:4700::1111":
            raise httpx.ConnectError("unreachable", request=request)
        return httpx.Response(200, content=request.url.host.encode())

    addresses = ["2606:4700:4700::1111", "93.184.216.34"]
    guard = AddressGuard(httpx.MockTransport(answer), resolver=_resolver(addresses))
    async with httpx.AsyncClient(transport=guard) as client:
        response = await client.get("http://feeds.example/rss")
    assert response.content == b"93.184.216.34"


async def test_an_unknown_host_is_an_error() -> None:
    async def fail(host: str, port: int) -> list[str]:
        raise OSError(-2, "Name or service not known")

    guard = AddressGuard(httpx.MockTransport(lambda request: httpx.Response(200)), resolver=fail)
    async with httpx.AsyncClient(transport=guard) as client:
        with pytest.raises(AddressRefused, match=r"cannot resolve host feeds\.example"):
            await client.get("http://feeds.example/rss")
