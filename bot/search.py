"""`/cari`: stem-aware matching of words against stored election posts.

The analyse stage's Lexicon decides which words to stem (only those that could stem to a query
word's stem), so "dikampanyekan" finds "kampanye" without stemming every word of every post.
"""

from __future__ import annotations

import re

from bot.analyse.tokens import Lexicon, is_acronym, stem
from bot.storage.posts import PublicPost

_WORD = re.compile(r"\w+")
MAX_WORDS = 8


def query_keys(query: str) -> list[str]:
    """The query's words as match keys: stems, or the lower-cased acronym."""
    keys: list[str] = []
    for word in _WORD.findall(query)[:MAX_WORDS]:
        key = word.lower() if is_acronym(word) else stem(word.lower())
        if key not in keys:
            keys.append(key)
    return keys


def matching(posts: list[PublicPost], query: str) -> list[PublicPost]:
    """The posts (kept in their order) containing every query word, by stem."""
    keys = query_keys(query)
    if not keys:
        return []
    lexicon = Lexicon(keys)
    wanted = set(keys)
    return [
        post for post in posts if wanted <= set(lexicon.doc(f"{post.title}\n{post.text}").by_key)
    ]
