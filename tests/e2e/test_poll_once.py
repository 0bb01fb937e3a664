"""`humasbot poll --once` against a local Bot API server and a local feed server."""

from __future__ import annotations

import html

from tests.e2e.conftest import ADMIN_CHAT, CHANNELS, TOKEN, humasbot
from tests.e2e.feeds import articles, election_titles, rss


def sent_titles(bot_api, chat_id: int) -> list[str]:
    calls = bot_api.calls(method="sendMessage", chat_id=chat_id, ok=True)
    return [call["text"].split("</b>")[0].removeprefix("<b>") for call in calls]


def test_poll_once_posts_each_election_item_to_every_channel_once(bot_api, config_file, bot_env):
    result = humasbot("--config", str(config_file), "poll", "--once", env=bot_env)
    assert result.returncode == 0, result.stderr

    expected = election_titles()
    for chat_id in CHANNELS:
        titles = sent_titles(bot_api, chat_id)
        assert {html.unescape(title) for title in titles} == expected
        assert len(titles) == len(expected)
        assert all(
            call["parse_mode"] == "HTML"
            for call in bot_api.calls(method="sendMessage", chat_id=chat_id)
        )
    assert TOKEN not in result.stderr

    again = humasbot("--config", str(config_file), "poll", "--once", "--all", env=bot_env)
    assert again.returncode == 0, again.stderr
    assert len(bot_api.calls(method="sendMessage", ok=True)) == len(expected) * len(CHANNELS)


def test_posts_go_oldest_first_and_carry_the_source_link(bot_api, config_file, bot_env):
    humasbot("--config", str(config_file), "poll", "--once", env=bot_env)
    texts = [
        call["text"] for call in bot_api.calls(method="sendMessage", chat_id=-1001001, ok=True)
    ]
    # The feed lists the newest first; the oldest election item must arrive first.
    order = [a["title"] for a in reversed(articles()) if a["is_election"]]
    assert [t for title in order for t in texts if title[:30] in t] == texts
    assert all("https://berita.example/" in text for text in texts)


def test_a_kicked_channel_is_deactivated_and_the_others_still_receive(
    bot_api, config_file, bot_env
):
    bot_api.add_chat(-1001002, type="channel", title="Diskominfo Balikpapan", kicked=True)
    result = humasbot("--config", str(config_file), "poll", "--once", env=bot_env)
    assert result.returncode == 0, result.stderr
    assert len(sent_titles(bot_api, -1001001)) == len(election_titles())
    assert len(bot_api.calls(method="sendMessage", chat_id=-1001002, status=403)) == 1
    assert "channel deactivated" in result.stderr
    [notice] = bot_api.calls(method="sendMessage", chat_id=ADMIN_CHAT)
    assert "-1001002" in notice["text"] and "dinonaktifkan" in notice["text"]

    again = humasbot("--config", str(config_file), "poll", "--once", "--all", env=bot_env)
    assert again.returncode == 0
    assert len(bot_api.calls(method="sendMessage", chat_id=-1001002)) == 1  # not tried again
    assert len(bot_api.calls(method="sendMessage", chat_id=ADMIN_CHAT)) == 1  # told once


def test_rate_limits_and_parse_errors_are_survived_without_loss(bot_api, config_file, bot_env):
    bot_api.script_fault("sendMessage", "429", retry_after=1)
    bot_api.script_fault("sendMessage", "400_parse")
    result = humasbot("--config", str(config_file), "poll", "--once", env=bot_env)
    assert result.returncode == 0, result.stderr
    delivered = len(bot_api.calls(method="sendMessage", ok=True))
    assert delivered == len(election_titles()) * len(CHANNELS)


def test_a_failing_feed_is_logged_and_the_cycle_still_ends_well(
    bot_api, feeds, config_file, bot_env
):
    feeds.fault("/berita.rss", status=500)
    result = humasbot("--config", str(config_file), "poll", "--once", env=bot_env)
    assert result.returncode == 0
    assert "feed failed" in result.stderr and "500" in result.stderr
    assert bot_api.calls(method="sendMessage") == []

    feeds.clear_faults("/berita.rss")
    feeds.set("/berita.rss", rss(articles()), content_type="application/rss+xml")
    humasbot("--config", str(config_file), "poll", "--once", "--all", env=bot_env)
    assert len(bot_api.calls(method="sendMessage", ok=True)) == len(election_titles()) * len(
        CHANNELS
    )
