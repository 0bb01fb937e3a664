from datetime import timedelta

import pytest

from bot.settings import ConfigError, load_config, parse_config


def test_defaults_are_the_documented_ones():
    config = parse_config({})
    assert config.database == "sqlite:///humasbot.db"
    assert config.timezone == "Asia/Makassar"
    assert config.max_item_age == timedelta(hours=24)
    assert config.fetch.allow_private_addresses is False
    assert config.telegram.api_base_url == "https://api.telegram.org/bot"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (90, timedelta(seconds=90)),
        ("5m", timedelta(minutes=5)),
        ("2d", timedelta(days=2)),
        ("1.5h", timedelta(minutes=90)),
    ],
)
def test_durations_take_seconds_or_units(value, expected):
    assert parse_config({"max_item_age": value}).max_item_age == expected


@pytest.mark.parametrize(
    ("data", "named"),
    [
        ({"feeds": [{"url": "https://a.example", "interval": "30s"}]}, "feeds.0.interval"),
        ({"feeds": [{"url": "gopher://a.example"}]}, "feeds.0.url"),
        ({"feeds": [{"link": "https://a.example"}]}, "feeds.0.link"),
        ({"channels": [{"chat_id": "not a chat"}]}, "channels.0.chat_id"),
        ({"channels": [{"chat_id": 1, "template": "mewah"}]}, "channels.0.template"),
        ({"channels": [{"chat_id": 1, "template": "$judul"}]}, "channels.0.template"),
        ({"timezone": "Asia/Borneo"}, "timezone"),
        ({"max_item_age": "sebentar"}, "max_item_age"),
        ({"admins": ["budi"]}, "admins.0"),
        ({"fetch": {"timeout": -1}}, "fetch.timeout"),
        ({"telegarm": {}}, "telegarm"),
    ],
)
def test_a_wrong_value_is_an_error_naming_the_key(data, named):
    with pytest.raises(ConfigError, match=named.replace(".", r"\.")):
        parse_config(data)


def test_channel_templates_take_a_packaged_name_or_template_text():
    config = parse_config(
        {
            "channels": [
                {"chat_id": 1, "template": "ringkas"},
                {"chat_id": 2, "template": "$headline"},
            ]
        }
    )
    assert "$headline" in config.channels[0].template_text
    assert config.channels[1].template_text == "$headline"


def test_environment_overrides_the_api_urls(tmp_path, monkeypatch):
    path = tmp_path / "c.yaml"
    path.write_text("telegram:\n  api_base_url: http://x/bot\n")
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:9/bot")
    assert load_config(path).telegram.api_base_url == "http://127.0.0.1:9/bot"


def test_broken_yaml_and_missing_files_are_clear_errors(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("feeds: [\n")
    with pytest.raises(ConfigError, match="YAML tidak valid"):
        load_config(path)
    with pytest.raises(ConfigError, match="tidak ditemukan"):
        load_config(tmp_path / "none.yaml")
