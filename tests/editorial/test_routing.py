import pytest

from bot.editorial.review import ReviewRules, channels_needing_review, review_reason
from bot.editorial.routing import ItemFacts, Route, refusal

ITEM = ItemFacts(
    topics=frozenset({"pilkada", "kpu"}),
    regions=frozenset({"balikpapan", "kaltim"}),
    score=8.0,
    feed_url="https://inibalikpapan.com/feed",
    link="https://www.inibalikpapan.com/berita/1",
    text="Paslon nomor 2 berkampanye di Balikpapan",
)


@pytest.mark.parametrize(
    ("route", "reason"),
    [
        (Route(), None),
        (Route(topics=frozenset({"pilkada"})), None),
        (Route(topics=frozenset({"pileg"})), "topik"),
        (Route(regions=frozenset({"kaltim"})), None),
        (Route(regions=frozenset({"samarinda"})), "wilayah"),
        (Route(feeds=frozenset({"https://inibalikpapan.com/feed"})), None),
        (Route(feeds=frozenset({"https://antaranews.com/rss"})), "umpan"),
        (Route(min_score=9.5), "skor 8.0"),
        (Route(block_sources=frozenset({"inibalikpapan.com"})), "diblokir"),
        (Route(allow_sources=frozenset({"kaltimprov.go.id"})), "daftar izin"),
        (Route(allow_sources=frozenset({"inibalikpapan.com"})), None),
    ],
)
def test_each_rule_takes_or_refuses_with_a_reason(route, reason):
    result = refusal(route, ITEM)
    assert (result is None) if reason is None else (reason in result)


def test_review_is_forced_by_mode_source_or_term():
    assert review_reason("auto", ReviewRules(), ITEM) is None
    assert "mode tinjau" in review_reason("review", ReviewRules(), ITEM)
    assert "sumber" in review_reason(
        "auto", ReviewRules(sources=frozenset({"inibalikpapan.com"})), ITEM
    )
    assert "Paslon nomor 2" in review_reason("auto", ReviewRules(terms=("paslon nomor 2",)), ITEM)
    waiting = channels_needing_review([("-1", "auto"), ("-2", "review")], ReviewRules(), ITEM)
    assert waiting == {"-2": "kanal dalam mode tinjau"}
