"""Election relevance on short, realistic Indonesian news sentences: the hard cases."""

from __future__ import annotations

import pytest

from bot.analyse import analyze

IN_SCOPE = [
    ("KPU Tetapkan DPT Pemilu 2024", "KPU Kota Samarinda menetapkan daftar pemilih tetap."),
    ("Bawaslu Awasi Kampanye", "Bawaslu Kaltim mengawasi kampanye pasangan calon gubernur."),
    (
        "Polres Amankan TPS",
        "Polres Bontang menerjunkan personel untuk mengamankan TPS saat pemungutan suara.",
    ),
    (
        "Warga Antusias Mencoblos",
        "Warga antusias mencoblos di TPS. Pencoblosan Pilkada 2024 berjalan lancar.",
    ),
    (
        "Caleg Dilarang Berkampanye di Sekolah",
        "Bawaslu mengingatkan para caleg agar tidak berkampanye di tempat ibadah.",
    ),
    (
        "ASN Diminta Netral",
        "Sekda mengingatkan netralitas ASN menjelang Pemilu 2024 dan pilkada serentak.",
    ),
    (
        "Hoaks Surat Suara Tercoblos",
        "KPU membantah hoaks surat suara yang sudah tercoblos beredar di media sosial.",
    ),
    (
        "Diskominfo Sosialisasikan Pemilu",
        "Diskominfo mengajak pemilih pemula menggunakan hak pilih pada pemilu mendatang.",
    ),
    ("DKPP Periksa Komisioner", "DKPP memeriksa dugaan pelanggaran etik penyelenggara pemilu."),
]

OUT_OF_SCOPE = [
    (
        "Kapten Timnas Dipilih",
        "Pelatih memilih kapten baru. Kapten terpilih akan memimpin tim di laga final.",
    ),
    (
        "Kepala Desa Dipilih Lewat Musyawarah",
        "Warga memilih kepala desa melalui musyawarah desa di balai desa.",
    ),
    (
        "Pemilihan Duta Wisata 2024",
        "Pemilihan duta wisata diikuti 20 finalis. Juri memilih pemenang malam ini.",
    ),
    (
        "Dinkes Gencarkan Kampanye Imunisasi",
        "Dinas Kesehatan menggelar kampanye imunisasi campak di posyandu.",
    ),
    ("BNN Kampanye Antinarkoba", "BNN berkampanye antinarkoba di sekolah-sekolah."),
    (
        "Persiba Lolos ke Partai Final",
        "Persiba memenangi partai semifinal dan melaju ke partai final liga.",
    ),
    ("Suara Gemuruh di Stadion", "Suara gemuruh penonton terdengar hingga luar stadion."),
    (
        "Calon Jemaah Haji Diberangkatkan",
        "Sebanyak 350 calon jemaah haji kloter pertama berangkat dari embarkasi.",
    ),
    ("Calon Pengantin Wajib Periksa", "Calon pengantin wajib memeriksakan kesehatan ke puskesmas."),
    (
        "RUPS Pilih Direktur Baru",
        "Rapat pemegang saham memilih direktur utama yang baru untuk perusahaan.",
    ),
    (
        "DPRD Bahas APBD",
        "Partai politik di DPRD membahas rancangan APBD bersama pemerintah kota.",
    ),
]


@pytest.mark.parametrize(("title", "text"), IN_SCOPE)
def test_election_articles_are_relevant(title: str, text: str) -> None:
    result = analyze(title, text)
    assert result.is_election, result.reasons
    assert result.score >= 5.0
    assert result.topics


@pytest.mark.parametrize(("title", "text"), OUT_OF_SCOPE)
def test_look_alike_articles_are_not_relevant(title: str, text: str) -> None:
    result = analyze(title, text)
    assert not result.is_election, result.reasons
    assert result.hashtags == ()


def test_counter_evidence_is_reported_with_a_note() -> None:
    result = analyze("Kampanye Imunisasi", "Dinkes menggelar kampanye imunisasi campak.")
    against = [r for r in result.reasons if r.term == "kampanye"]
    assert against and against[0].weight < 0
    assert "kesehatan" in against[0].note


def test_title_weighs_more_than_body() -> None:
    in_title = analyze("Pemilu Damai", "Warga berkumpul di balai desa.")
    in_body = analyze("Warga Berkumpul", "Warga berkumpul membahas pemilu di balai desa.")
    assert in_title.score > in_body.score


def test_comparison_with_pemilu_is_not_pemilu() -> None:
    result = analyze("Pemilihan Ketua RT Digelar Mirip Pemilu", "Warga memilih ketua RT.")
    pemilu = [r for r in result.reasons if r.term == "pemilu"]
    assert pemilu and pemilu[0].weight == 0
    assert "perbandingan" in pemilu[0].note


def test_morphology_and_acronyms_on_word_boundaries() -> None:
    result = analyze(None, "Para kandidat berkampanye. Petugas KPPS menghitung surat suara di TPS.")
    terms = {r.term for r in result.reasons if r.weight > 0}
    assert {"KPU", "TPS", "surat suara"} <= terms
    lowercase = analyze(None, "Angka tps dan kpu di tabel ini hanya singkatan biasa.")
    assert not {r.term for r in lowercase.reasons} & {"KPU", "TPS"}


def test_hashtags_carry_the_year_of_the_election() -> None:
    result = analyze("KPU Siapkan Pemilu 2024", "KPU menyiapkan logistik Pemilu 2024 dan Pilkada.")
    assert result.hashtags[0] == "Pemilu2024"
    assert "KPU" in result.hashtags
    assert len(result.hashtags) <= 4
