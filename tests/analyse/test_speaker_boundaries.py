"""Speakers across sentence ends and one-word offices.

A capitalised run that crosses a sentence end ("... di 40 TPS. Kapolsek Long Ikis AKP ...") is
two runs: the person after the full stop is found, and the acronym before it is no one. An
office written as one word before a short name ("Menkeu Sri") is the person the article named
in full."""

from __future__ import annotations

from bot.analyse import analyze


def names(text: str) -> list[tuple[str | None, str | None]]:
    return [(q.speaker_name, q.speaker_role) for q in analyze(None, text).quotes]


def test_a_pronoun_sentence_after_a_role_named_past_an_acronym_keeps_the_speaker() -> None:
    text = (
        "PENAJAM – Panitia menyiapkan kotak suara cadangan di 40 TPS. Kapolsek Waru AKP "
        "Darmawan Lubis meninjau gudang logistik, Selasa (19/11). Dia meminta petugas berjaga "
        "bergantian sampai hari pemungutan.\n"
        "“Gudang tidak boleh kosong satu menit pun,” tegasnya."
    )
    assert names(text) == [("Darmawan Lubis", "Kapolsek Waru")]


def test_a_short_name_after_an_acronym_ended_sentence_is_not_the_acronym() -> None:
    text = (
        "SANGATTA – Distribusi surat suara dimulai dari gudang KPU. Ketua KPU Kutai Timur "
        "Rahmawati Sinaga melepas truk pertama pagi ini.\n"
        "Truk dikawal polisi sampai ke kantor PPK.\n"
        "“Semua logistik kami segel dan kami catat,” kata Rahmawati."
    )
    assert names(text) == [("Rahmawati Sinaga", "Ketua KPU Kutai Timur")]


def test_a_one_word_office_with_a_short_name_is_the_person_named_in_full() -> None:
    text = (
        "JAKARTA – Menteri Keuangan Sri Handayani Purba memastikan dana hibah pilkada cair "
        "pekan ini.\n"
        "“Tidak ada daerah yang tertinggal,” kata Menkeu Sri.\n"
        "“Pencairan dipantau setiap hari,” ujar Sri Handayani."
    )
    assert names(text) == [
        ("Sri Handayani Purba", "Menteri Keuangan"),
        ("Sri Handayani Purba", "Menteri Keuangan"),
    ]
