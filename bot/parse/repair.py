"""Text repairs for what feeds do to their own words.

* Mojibake (UTF-8 read as Windows-1252 or Latin-1 and saved again: ``â€œ`` for ``“``,
  ``Ã©`` for ``é``) is undone by ftfy. Only the encoding repair runs: quotes stay curly
  (the analysis reads them), HTML is already decoded, widths and ligatures are left alone.
* A carriage return on its own (``&#13;`` in the middle of a sentence) is a space; CR LF is a
  line break.
"""

from __future__ import annotations

import re

import ftfy

_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=True,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=True,
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=True,
    remove_control_chars=True,
    normalization=None,
    explain=False,
)
# Every UTF-8 sequence misread as Windows-1252 or Latin-1 starts with one of these (Â, Ã, Å,
# â, or a C1 control); text without any of them is left as it is without asking ftfy (most
# feeds, most of the time).
_SUSPECT = re.compile("[\u00c2\u00c3\u00c5\u00e2\u0080-\u009f]")
_LONE_CR = re.compile(r"\r(?!\n)")


def repair_text(text: str) -> str:
    """The text with mojibake undone and lone carriage returns made spaces."""
    if "\r" in text:
        text = _LONE_CR.sub(" ", text).replace("\r\n", "\n")
    if _SUSPECT.search(text):
        text = ftfy.fix_text(text, _CONFIG)
    return text
