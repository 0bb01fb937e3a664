"""Direct quotes and their speakers."""

from __future__ import annotations

import pytest

from bot.analyse import analyze
from bot.analyse.keyquotes import trim


def quotes_of(text: str) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker) for q in analyze(None, text).quotes]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“Pemilu harus damai,” kata Budi Santoso.", "Pemilu harus damai"),
        ('"Pemilu harus damai," kata Budi Santoso.', "Pemilu harus damai"),
        ("”Pemilu harus damai,” kata Budi Santoso.", "Pemilu harus damai"),
        ("“Pemilu harus damai,”ujar Budi Santoso.", "Pemilu harus damai"),
        ("“Apakah pemilu sudah siap?” tanya Budi Santoso.", "Apakah pemilu sudah siap?"),
        ("“Pemilu harus\ndamai dan jujur,” kata Budi Santoso.", "Pemilu harus damai dan jujur"),
    ],
)
def test_quote_mark_variants(text: str, expected: str) -> None:
    assert quotes_of(text) == [(expected, "Budi Santoso")]


def test_every_quote_in_order_and_titles_are_not_quotes() -> None:
    text = (
        'Acara bertema "Pemilu Damai Tanpa Hoaks". Ketua KPU Samarinda Firman Hidayat hadir.\n'
        "“Kami siap,” ujarnya.\n"
        "“Logistik sudah lengkap. Tinggal distribusi,” tambahnya."
    )
    assert [q for q, _ in quotes_of(text)] == [
        "Kami siap",
        "Logistik sudah lengkap. Tinggal distribusi",
    ]


def test_lost_opening_mark_starts_at_the_paragraph() -> None:
    text = (
        "Ketua KPU Mochammad Afifuddin menandatangani keputusan itu.\n"
        'Dokumen dikecualikan selama lima tahun," tulis Afifuddin dalam keputusan itu.'
    )
    assert quotes_of(text) == [
        ("Dokumen dikecualikan selama lima tahun", "Ketua KPU Mochammad Afifuddin")
    ]


def test_quote_running_into_the_next_paragraph_takes_the_later_attribution() -> None:
    text = (
        "Warga memadati balai kota.\n"
        "“Kami mengajak warga datang ke TPS dan menggunakan hak pilihnya\n"
        "“Jangan golput,” kata Ketua Bawaslu Kaltim Hari Darmanto."
    )
    speakers = {s for _, s in quotes_of(text)}
    assert speakers == {"Ketua Bawaslu Kaltim Hari Darmanto"}


SPEAKER_CASES = [
    # after the quote, a name the article gave in full earlier
    (
        "Sekretaris Daerah Provinsi (Sekdaprov) Kaltim Sri Wahyuni membuka forum.\n"
        "“Pemilu tanggung jawab bersama,” ujar Sri.",
        "Sekdaprov Kaltim Sri Wahyuni",
    ),
    # a misspelt later name is the same person
    (
        "Kepala Dinas Kominfo Kaltim HM Faisyal mengatakan forum penting.\n"
        "“Humas harus bersinergi,” ujar Faisal.",
        "Kepala Dinas Kominfo Kaltim HM Faisyal",
    ),
    # -nya after the quote: the person last named
    (
        "Kapolres Purbalingga AKBP Hendra Irawan memimpin apel.\n“TPS aman,” katanya.",
        "Kapolres Purbalingga AKBP Hendra Irawan",
    ),
    # before the quote, with a colon
    (
        "Ketua KPU Bontang Ali Rahman menegaskan: “Logistik aman.”",
        "Ketua KPU Bontang Ali Rahman",
    ),
    # Menurutnya, before the quote
    (
        "Anggota Bawaslu Kendal Arief Musthofifin hadir. Menurutnya, “Pemilu harus damai.”",
        "Anggota Bawaslu Kendal Arief Musthofifin",
    ),
    # role phrase with "itu" refers back to the person in view, not to a new one
    (
        "Sekda Kaltim Sri Wahyuni membuka acara. Mantan Kepala Dinas Pariwisata itu "
        "menuturkan banyak hal.\n“Humas harus siap,” tuturnya.",
        "Sekda Kaltim Sri Wahyuni",
    ),
    # a role-only reference ("Kapolres") to the person named with that role
    (
        "Kapolres Bontang AKBP Yusep Dwi Prastiya memimpin apel. Wali Kota Bontang Neni "
        "Moerniaeni mengatakan warga tenang.\nKapolres juga mengungkapkan rencana pengamanan. "
        "“Kami siaga,” imbuhnya.",
        "Kapolres Bontang AKBP Yusep Dwi Prastiya",
    ),
    # names inside quotes are not speakers
    (
        "Koordinator Gabdem, Guntur Harahap, menyebut laporan sudah masuk.\n"
        "“Yang dilaporkan Rahmat Bagja dan Arif Budiman,” tuturnya.",
        "Koordinator Gabdem Guntur Harahap",
    ),
    # pronoun after the verb
    ("Djarot menyinggung peran partai.\n“Partai itu alat,” lanjut dia.", "Djarot"),
]


@pytest.mark.parametrize(("text", "speaker"), SPEAKER_CASES)
def test_speaker_resolution(text: str, speaker: str) -> None:
    quotes = analyze(None, text).quotes
    assert quotes, "no quote found"
    assert quotes[-1].speaker == speaker


def test_short_reference_picks_the_right_person_when_names_share_a_word() -> None:
    text = (
        "Koordinator Gabdem, Guntur Harahap, melapor ke KPK.\n"
        "“Kami sudah melapor,” kata Guntur.\n"
        "Deputi Penindakan KPK Asep Guntur Rahayu menyebut laporan akan ditelaah.\n"
        "“Kita tunggu,” ucap Asep."
    )
    speakers = [q.speaker for q in analyze(None, text).quotes]
    assert speakers == [
        "Koordinator Gabdem Guntur Harahap",
        "Deputi Penindakan KPK Asep Guntur Rahayu",
    ]


def test_key_quotes_prefer_election_content_and_are_trimmed() -> None:
    long_quote = " ".join(["Pemilu harus berjalan jujur dan adil di seluruh TPS."] * 8)
    text = (
        "Ketua KPU Samarinda Firman Hidayat membuka rapat.\n"
        "“Terima kasih atas kehadiran bapak ibu,” ujarnya.\n"
        f"“{long_quote}” katanya.\n"
        "“Logistik pemilu sudah tiba di gudang KPU,” tambahnya."
    )
    key = analyze("KPU Samarinda Siap", text).key_quotes
    assert 1 <= len(key) <= 2
    assert all(not q.text.startswith("Terima kasih") for q in key)
    assert all(len(q.text) <= 222 for q in key)
    assert any(q.text.endswith("…") for q in key)


def test_trim_keeps_whole_sentences() -> None:
    text = "Kalimat pertama cukup panjang untuk dibaca. " * 10
    trimmed = trim(text.strip(), 100)
    assert trimmed.endswith("dibaca. …")
    assert len(trimmed) <= 102
