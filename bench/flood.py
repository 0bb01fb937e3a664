"""One user floods the real `humasbot run` process (5 × /terbaru 10, 300 × /start) while an admin
asks /status: prints how long the admin waited and what the flooder got, as JSON.

    python bench/flood.py [--starts 300] [--latest 5]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import ADMIN_CHAT, CHANNELS, TOKEN  # noqa: E402
from tests.e2e.feeds import articles, election_titles, rss  # noqa: E402
from tests.e2e.flood import flood, outcome, wait_for_notice  # noqa: E402
from tests.e2e.test_run import start_service, stop  # noqa: E402
from tests.fakes.bot_api import FakeBotAPI  # noqa: E402
from tests.fakes.feed_server import FeedServer  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--starts", type=int, default=300)
    parser.add_argument("--latest", type=int, default=5)
    args = parser.parse_args()
    chats = {chat_id: {"type": "channel", "title": title} for chat_id, title in CHANNELS.items()}
    chats[ADMIN_CHAT] = {"type": "supergroup", "title": "Admin humas"}
    feeds = FeedServer().start()
    feeds.set("/berita.rss", rss(articles()), content_type="application/rss+xml")
    with FakeBotAPI(chats) as api, tempfile.TemporaryDirectory() as tmp:
        config = {
            "database": f"sqlite:///{Path(tmp) / 'humasbot.db'}",
            "admins": [42],
            "admin_chat_id": ADMIN_CHAT,
            "feeds": [{"url": f"{feeds.url}/berita.rss", "name": "Berita Uji"}],
            "channels": [{"chat_id": c, "name": n} for c, n in CHANNELS.items()],
            "fetch": {"allow_private_addresses": True},
        }
        path = Path(tmp) / "humasbot.yaml"
        path.write_text(yaml.safe_dump(config), encoding="utf-8")
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": api.base_url,
            "TELEGRAM_API_BASE_FILE_URL": api.base_file_url,
            "PYTHONPATH": str(ROOT),
        }
        process = start_service(path, env)
        try:
            for chat_id in CHANNELS:
                api.wait_for_calls(
                    len(election_titles()), 60, method="sendMessage", chat_id=chat_id, ok=True
                )
            figures = flood(api, latest=args.latest, starts=args.starts)
            wait_for_notice(api)
        finally:
            code, _ = stop(process)
        figures |= outcome(api) | {"exit_code": code}
    feeds.stop()
    print(json.dumps({"bench": "flood", **figures}))


if __name__ == "__main__":
    main()
