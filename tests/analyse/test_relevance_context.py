"""Election relevance in short articles that name the election once, or not by its name.

Each rule has an article that must count and a look-alike that must not; the sentences are new.
"""

from __future__ import annotations

import pytest

from bot.analyse import analyze
from bot.analyse.tokens import Lexicon, PhraseSet

SHORT_ELECTION = [
    pytest.param(
        "KPU Paser latih petugas KPPS",
        "KPU Paser melatih 2.400 petugas KPPS dari seluruh TPS. Pelatihan berlangsung dua hari "
        "di aula kantor bupati.",
        id="training-is-not-a-coach",
    ),
    pytest.param(
        "Pemprov cairkan hibah pilkada",
        "Pemprov Kaltim mencairkan dana hibah pilkada untuk KPU dan Bawaslu. Hibah itu dipakai "
        "membayar honor badan ad hoc.",
        id="grant-for-the-election-body",
    ),
    pytest.param(
        "Kemenag larang kampanye di madrasah",
        "Kantor Kemenag Berau melarang kampanye di lingkungan madrasah. Guru tidak boleh "
        "mengajak murid mendukung calon tertentu. Edaran itu juga dikirim ke Bawaslu Berau.",
        id="premises-are-not-the-environment",
    ),
    pytest.param(
        "Pengurus masjid diminta tolak kampanye",
        "Dewan Masjid Indonesia Bontang meminta takmir menolak kampanye di tempat ibadah. "
        "Khatib diminta tidak menyebut nama calon dalam khotbah.",
        id="campaigning-at-a-place-of-worship",
    ),
    pytest.param(
        "Wali kota minta ASN netral",
        "Wali Kota Tarakan meminta seluruh pegawai menjaga sikap di media sosial. Aparatur yang "
        "ikut mengunggah dukungan akan diperiksa inspektorat.",
        id="civil-servants-neutral",
    ),
    pytest.param(
        "Camat kumpulkan kades, minta kepala desa netral",
        "Camat Long Ikis mengumpulkan 26 kepala desa. Mereka dilarang memakai dana desa untuk "
        "kegiatan yang berbau kampanye menjelang pilkada.",
        id="village-heads-neutral",
    ),
    pytest.param(
        "Kejari periksa kades tidak netral",
        "Kejaksaan Negeri Kutai Barat memeriksa seorang kepala kampung yang diduga mengarahkan "
        "warga mendukung salah satu calon bupati.",
        id="village-head-not-neutral",
    ),
    pytest.param(
        "Polres bentuk satgas antipolitik uang",
        "Polres Bontang membentuk satgas antipolitik uang. Satgas bekerja bersama Sentra "
        "Gakkumdu hingga hari pencoblosan.",
        id="money-politics-task-force",
    ),
    pytest.param(
        "Anggota DPRD ajak pemuda awasi pilkada",
        "Anggota DPRD Kaltim mengajak pemuda mengawasi pilkada di kampung masing-masing. Pemuda "
        "diminta memotret pembagian sembako yang bermuatan kampanye.",
        id="campaign-far-from-its-context",
    ),
    pytest.param(
        "Kepala desa antar lansia ke TPS",
        "Kepala Desa Batu Timbau Ahmad Yani mengantar warga lansia ke TPS dengan mobil desa. "
        "Di desa itu ada tiga TPS. Pengeras suara masjid dipakai mengingatkan warga mencoblos.",
        id="village-head-brings-voters",
    ),
]

LOOK_ALIKES = [
    pytest.param(
        "Disnaker latih 200 operator alat berat",
        "Disnaker Kukar melatih 200 operator alat berat. Pelatih didatangkan dari balai latihan "
        "kerja Samarinda.",
        id="training-without-election",
    ),
    pytest.param(
        "Pemkot salurkan hibah ke partai politik",
        "Pemkot Balikpapan menyalurkan dana hibah Rp 2 miliar kepada partai politik yang punya "
        "kursi di DPRD. Bantuan keuangan partai dihitung per suara sah.",
        id="grant-for-parties",
    ),
    pytest.param(
        "DLH gelar kampanye peduli lingkungan di sekolah",
        "Dinas Lingkungan Hidup menggelar kampanye peduli lingkungan di sekolah. Siswa diajak "
        "memilah sampah plastik.",
        id="campaign-for-the-environment",
    ),
    pytest.param(
        "Wasit diminta netral di final liga desa",
        "Panitia liga antardesa meminta wasit netral saat final. Kepala desa ikut menonton "
        "pertandingan di lapangan.",
        id="neutral-referee",
    ),
    pytest.param(
        "Warga pilih kepala desa lewat musyawarah",
        "Warga Desa Tani Bhakti memilih kepala desa melalui musyawarah desa. Calon kepala desa "
        "menyampaikan visi di balai desa.",
        id="village-head-election",
    ),
    pytest.param(
        "Pilkades serentak di 20 desa",
        "Panitia pilkades menyiapkan bilik suara di 20 desa. Warga memilih kepala desa di TPS "
        "yang didirikan di balai desa.",
        id="village-head-election-at-polling-stations",
    ),
]


@pytest.mark.parametrize(("title", "text"), SHORT_ELECTION)
def test_short_election_articles_count(title: str, text: str) -> None:
    result = analyze(title, text)
    assert result.is_election, result.reasons


@pytest.mark.parametrize(("title", "text"), LOOK_ALIKES)
def test_look_alikes_do_not(title: str, text: str) -> None:
    result = analyze(title, text)
    assert not result.is_election, result.reasons


def test_title_word_takes_the_verdict_of_the_text() -> None:
    result = analyze(
        "Larangan kampanye di kantor desa",
        "Bawaslu Paser mengingatkan pasangan calon bahwa kampanye di kantor desa dilarang.",
    )
    title = [r for r in result.reasons if r.term == "kampanye" and r.where == "title"]
    assert title and title[0].weight > 0
    assert title[0].note == "konteks dari isi berita"


def test_a_word_alone_counts_half_in_an_election_article() -> None:
    result = analyze(
        "KPU Berau gelar rapat",
        "KPU Berau menggelar rapat di aula kantornya pada Senin pagi bersama tamu undangan dari "
        "berbagai kantor. Di akhir acara, petugas membagikan stiker kampanye.",
    )
    lone = [r for r in result.reasons if r.term == "kampanye"]
    assert lone and lone[0].weight == pytest.approx(1.5 * 1.5 / 2, abs=0.01)  # lead, half
    assert lone[0].note == "konteks pemilu di bagian lain berita"


def test_a_word_alone_counts_nothing_without_an_election_term() -> None:
    result = analyze("Warga gelar rapat", "Di akhir acara, panitia membagikan stiker kampanye.")
    assert all(r.weight == 0 for r in result.reasons if r.term == "kampanye")


def test_party_grant_counter_evidence_stays_beside_a_party() -> None:
    near_body = analyze(None, "Pemda mencairkan hibah untuk KPU.")
    grant = [r for r in near_body.reasons if r.term.startswith("pendanaan partai")]
    assert grant and grant[0].weight == 0 and "penyelenggaraan pemilu" in grant[0].note


def test_a_lower_case_form_matches_the_word_not_its_stem() -> None:
    lexicon = Lexicon(["latih"])
    coach = PhraseSet([("=pelatih", "pelatih")])
    assert coach.positions(lexicon.doc("Pelatih itu melatih di pelatihan.")) == [0]
