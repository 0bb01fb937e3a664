"""Lead sentence: one complete sentence a reader understands alone, the dateline removed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.analyse import analyze
from bot.analyse.lead import lead_sentence, strip_dateline
from bot.analyse.vocabulary import NEEDS_BEFORE


@pytest.mark.parametrize(
    ("text", "lead"),
    [
        (
            "BALIKPAPAN, Inibalikpapan.com – Pemilu 2024 harus menjadi tanggungjawab semua "
            "pihak. Sehingga proses demokrasi berjalan adil.",
            "Pemilu 2024 harus menjadi tanggungjawab semua pihak.",
        ),
        (
            "Jakarta (ANTARA) - KPU menetapkan DPT pemilu untuk seluruh provinsi. Lalu rapat.",
            "KPU menetapkan DPT pemilu untuk seluruh provinsi.",
        ),
        (
            "KOMPAS.com - Bawaslu menerima laporan dugaan politik uang di Bekasi. Lainnya.",
            "Bawaslu menerima laporan dugaan politik uang di Bekasi.",
        ),
        (
            "SAMARINDA – Bawaslu Kaltim memantau kampanye di sepuluh kabupaten. Lainnya.",
            "Bawaslu Kaltim memantau kampanye di sepuluh kabupaten.",
        ),
        (
            "Samarinda, Presisi.co – Bawaslu bekerja sama dengan kampus mengawasi pemilu. Lain.",
            "Bawaslu bekerja sama dengan kampus mengawasi pemilu.",
        ),
        (
            "Sinarkaltim.id, KUTAI KARTANEGARA – DKP membagikan ikan kepada warga Tenggarong. X.",
            "DKP membagikan ikan kepada warga Tenggarong.",
        ),
        (
            "BALIKPAPAN: Hasil kurang memuaskan diraih Persiba di kandang sendiri. Lainnya.",
            "Hasil kurang memuaskan diraih Persiba di kandang sendiri.",
        ),
        (
            "Ketua KPU M. Afifuddin hadir di Jl. Merdeka No. 5 pukul 10.00 WIB. Lalu pulang.",
            "Ketua KPU M. Afifuddin hadir di Jl. Merdeka No. 5 pukul 10.00 WIB.",
        ),
        (
            "“Kami siap,” kata Ketua KPU. KPU Bontang menyiapkan logistik pemilu untuk 400 TPS.",
            "KPU Bontang menyiapkan logistik pemilu untuk 400 TPS.",
        ),
    ],
)
def test_lead_sentence(text: str, lead: str) -> None:
    assert lead_sentence(text) == lead


def test_a_sentence_with_a_dash_is_not_a_dateline() -> None:
    text = "pemilu 2024 - pesta demokrasi - berjalan damai."
    assert strip_dateline(text) == text


def test_analysis_carries_the_lead() -> None:
    result = analyze(
        "KPU", "Jakarta (ANTARA) - KPU menetapkan DPT Pemilu 2024 dalam rapat pleno. Rapat."
    )
    assert result.lead == "KPU menetapkan DPT Pemilu 2024 dalam rapat pleno."


# The failure kinds seen on real articles, each in new sentences.


def test_a_fragment_of_a_list_is_not_a_lead() -> None:
    text = (
        "Teradu I Budi Santoso.\nTeradu II Rahmat Hidayat.\n"
        "DKPP menjatuhkan sanksi peringatan keras kepada dua anggota KPU Kota Bekasi.\n"
    )
    assert analyze("DKPP", text).lead == (
        "DKPP menjatuhkan sanksi peringatan keras kepada dua anggota KPU Kota Bekasi."
    )


def test_a_numbered_list_item_is_not_a_lead() -> None:
    text = (
        "1. Fotokopi kartu tanda penduduk elektronik dan akta kelahiran calon.\n"
        "2. Surat keterangan sehat dari rumah sakit pemerintah.\n"
    )
    assert lead_sentence(text) == ""


def test_the_tail_of_a_quote_with_its_attribution_is_not_a_lead() -> None:
    text = (
        "“Kami menghormati putusan ini. Ini sikap yang bijak dari penyelenggara,” kata Ahmad "
        "Rifai kepada wartawan di Jakarta.\n"
        "Fraksi PKB di DPR meminta KPU segera menindaklanjuti putusan Mahkamah Konstitusi.\n"
    )
    assert analyze("Putusan MK", text).lead == (
        "Fraksi PKB di DPR meminta KPU segera menindaklanjuti putusan Mahkamah Konstitusi."
    )


def test_a_quote_that_opens_with_its_own_sentences_is_skipped_whole() -> None:
    text = (
        "“Pemilih pemula harus dijangkau. Mereka banyak di kampus dan sekolah,” ujar Ketua KPU "
        "Bontang Suardi Tahir.\n"
        "KPU Bontang menggelar sosialisasi di 20 sekolah menengah atas pekan ini.\n"
    )
    assert analyze(None, text).lead == (
        "KPU Bontang menggelar sosialisasi di 20 sekolah menengah atas pekan ini."
    )


def test_ia_opening_is_replaced_by_the_role_and_name_the_register_knows() -> None:
    text = (
        "“Semua logistik sudah tiba,” kata Ketua Bawaslu Paser Hendra Wijaya, Senin (12/2).\n"
        "Ia juga mengingatkan KPU agar menyegel gudang logistik setiap malam.\n"
    )
    assert analyze("Logistik", text).lead == (
        "Ketua Bawaslu Paser Hendra Wijaya juga mengingatkan KPU agar menyegel gudang logistik "
        "setiap malam."
    )


def test_dia_opening_without_anyone_named_is_skipped() -> None:
    text = (
        "Dia menyebut pemungutan suara ulang digelar di tiga TPS.\n"
        "KPU Samarinda menggelar pemungutan suara ulang di tiga TPS pada Sabtu pagi.\n"
    )
    assert analyze(None, text).lead == (
        "KPU Samarinda menggelar pemungutan suara ulang di tiga TPS pada Sabtu pagi."
    )


def test_mereka_and_connectives_need_the_sentence_before() -> None:
    text = (
        "Mereka menyampaikan keluhan soal honor petugas yang belum dibayar.\n"
        "Namun, sebagian petugas tetap bekerja sampai rekapitulasi selesai.\n"
        "Hal itu disampaikan dalam rapat di kantor KPU Kutai Timur.\n"
        "Puluhan anggota KPPS di Sangatta mendatangi kantor KPU Kutai Timur, Senin (19/2).\n"
    )
    assert analyze("KPPS", text).lead == (
        "Puluhan anggota KPPS di Sangatta mendatangi kantor KPU Kutai Timur, Senin (19/2)."
    )


def test_a_short_sentence_is_not_a_lead() -> None:
    text = "Pemilu sudah dekat.\nWarga Balikpapan diminta mengecek nama mereka di DPT online.\n"
    assert lead_sentence(text) == "Warga Balikpapan diminta mengecek nama mereka di DPT online."


def test_a_sentence_repeating_a_key_quote_is_not_the_lead() -> None:
    sentence = "Semua petugas harus netral dan tidak memihak calon mana pun."
    assert lead_sentence(sentence, key_quotes=[sentence.rstrip(".")]) == ""


def test_no_qualifying_sentence_takes_the_feeds_description() -> None:
    text = (
        "“Kami siap menggelar pilkada yang damai,” kata Ketua KPU Berau Budi Hartono.\n"
        "Ia optimistis.\n"
    )
    description = (
        "KPU Berau memastikan seluruh logistik Pilkada 2024 tiba di 14 kecamatan tepat waktu."
    )
    result = analyze("Pilkada Berau", text, description=description)
    assert result.lead == description


def test_no_qualifying_sentence_and_no_description_gives_no_lead() -> None:
    text = (
        "“Kami siap menggelar pilkada yang damai,” kata Ketua KPU Berau Budi Hartono.\n"
        "“Logistik sudah lengkap,” tambahnya.\n"
    )
    assert analyze("Pilkada Berau", text, description="Mereka siap.").lead == ""


DATA = Path(__file__).resolve().parents[1] / "data"
SHARED_DEVSET = Path(__file__).resolve().parents[2].parent / "shared" / "devset" / "articles.jsonl"
SETS = [
    DATA / "analyse_heldout.jsonl",
    DATA / "analyse_devset.jsonl",
    DATA / "analyse_speakers.jsonl",
    DATA / "analyse_speakers_fresh.jsonl",
    DATA / "analyse_speakers_unseen.jsonl",
]


def _leads(path: Path) -> list[tuple[str, str]]:
    articles = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [(a["id"], analyze(a.get("title"), a["text"]).lead) for a in articles]


@pytest.mark.parametrize("path", [*SETS, SHARED_DEVSET], ids=lambda p: p.name)
def test_every_lead_stands_alone(path: Path) -> None:
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    for ident, lead in _leads(path):
        if not lead:
            continue
        words = lead.split()
        assert len(words) >= 6, ident
        assert not any(mark in lead for mark in '"“”„«»'), ident
        assert words[0].lower().strip(",") not in NEEDS_BEFORE, ident
        assert lead.endswith((".", "!", "?", ")")), ident
