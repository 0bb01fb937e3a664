"""The people register: one person across the article, as the article first names them.

Each quote carries `speaker` (the display form for posts), `speaker_name` (the full name as the
article first gives it, no honorifics) and `speaker_role` (the office, or None)."""

from __future__ import annotations

from bot.analyse import analyze


def names(text: str) -> list[tuple[str | None, str | None]]:
    return [(q.speaker_name, q.speaker_role) for q in analyze(None, text).quotes]


def test_a_short_name_is_the_full_name_given_first() -> None:
    text = (
        "Ketua KPU Kaltara Hariyadi Hamid membuka rapat pleno rekapitulasi.\n"
        "“Tidak ada kabupaten yang terlambat,” kata Hariyadi."
    )
    assert names(text) == [("Hariyadi Hamid", "Ketua KPU Kaltara")]


def test_initials_are_the_person_whose_names_they_spell() -> None:
    text = (
        "Ketua DPRD Samarinda Sugiyono Budi Santoso memastikan anggaran pilkada aman.\n"
        "“Laporan pertanggungjawaban harus terbuka,” ujar SBS."
    )
    assert names(text) == [("Sugiyono Budi Santoso", "Ketua DPRD Samarinda")]


def test_a_short_form_after_the_full_name_is_not_a_new_person() -> None:
    text = (
        "Pelatih tunggal putra Indonesia Rionny Mainaky Putra menilai pemainnya tampil tenang.\n"
        "“Mereka tidak panik saat tertinggal,” kata Rionny MP."
    )
    assert names(text) == [("Rionny Mainaky Putra", "Pelatih tunggal putra Indonesia")]


def test_a_role_with_itu_is_the_person_holding_it() -> None:
    text = (
        "Ketua KPU Paser Abdul Qadir Jailani memimpin simulasi pemungutan suara.\n"
        "Camat Tanah Grogot Budi Rahman ikut mencoblos dalam simulasi.\n"
        "“Rata-rata empat menit per pemilih,” kata Ketua KPU itu."
    )
    assert names(text) == [("Abdul Qadir Jailani", "Ketua KPU Paser")]


def test_a_role_synonym_is_the_same_person() -> None:
    text = (
        "Anggota KPU Samarinda Dwi Haryono menjelaskan jadwal pencocokan data pemilih.\n"
        "“Petugas datang ke rumah warga mulai Senin,” ujar komisioner KPU tersebut."
    )
    assert names(text) == [("Dwi Haryono", "Anggota KPU Samarinda")]


def test_a_nickname_in_brackets_names_the_person() -> None:
    text = (
        "Gubernur Kalimantan Utara Zainal Arifin Paliwang (ZAP) meminta ASN menjaga netralitas.\n"
        "“ASN itu abdi negara, bukan abdi calon,” kata ZAP."
    )
    [quote] = analyze(None, text).quotes
    assert (quote.speaker_name, quote.speaker_role) == (
        "Zainal Arifin Paliwang",
        "Gubernur Kalimantan Utara",
    )
    assert quote.speaker == "Gubernur Kalimantan Utara Zainal Arifin Paliwang (ZAP)"


def test_a_nickname_in_the_name_is_left_out_of_it() -> None:
    text = (
        "Pemilihan ketua RT di Kota Makassar digelar serentak pada November.\n"
        "“Semua warga boleh memilih,” kata Wali Kota Makassar Munafri 'Appi' Arifuddin."
    )
    assert names(text) == [("Munafri Arifuddin", "Wali Kota Makassar")]


def test_a_title_and_an_apostrophe_stay_out_of_and_in_the_name() -> None:
    text = (
        "Mendikdasmen Prof. Abdul Mu'ti meluncurkan modul pendidikan pemilih.\n"
        "“Sekolah tidak boleh dipakai untuk kampanye,” kata Mendikdasmen Prof. Abdul Mu'ti."
    )
    assert names(text) == [("Abdul Mu'ti", "Mendikdasmen")]


def test_degrees_and_honorifics_are_not_the_name() -> None:
    text = (
        "Bupati Kutai Kartanegara Dr. H. Edi Damansyah, S.H., M.Si. mengumpulkan camat.\n"
        "“Kepala desa itu pelayan semua warga,” ujarnya."
    )
    assert names(text) == [("Edi Damansyah", "Bupati Kutai Kartanegara")]


def test_a_rank_before_the_name_is_neither_role_nor_name() -> None:
    text = (
        "Menteri Koordinator Bidang Politik dan Keamanan (Menko Polkam) Jenderal TNI (Purn.) "
        "Budi Gunawan menyatakan situasi kondusif.\n"
        "“Indeks kerawanan turun,” kata Budi Gunawan."
    )
    assert names(text) == [("Budi Gunawan", "Menko Polkam")]


def test_a_place_after_the_verb_is_not_the_speaker() -> None:
    text = (
        "Ketua KPU Kukar Rudi Gunawan melantik anggota PPK.\n"
        "“Jaga integritas,” kata Rudi di Kabupaten Kutai Kartanegara.\n"
        "“Bimtek digelar pekan depan,” ujarnya di Tenggarong."
    )
    assert names(text) == [("Rudi Gunawan", "Ketua KPU Kukar")] * 2


def test_an_institution_speaking_is_not_a_person() -> None:
    text = (
        "Wakil Ketua Komisi II Aria Bima meminta logistik pedalaman dikirim paling awal.\n"
        "KPU Kaltim memaparkan jadwal distribusi ke Mahakam Ulu.\n"
        "“Kami akan laporkan ke pimpinan,” ujarnya."
    )
    assert names(text) == [("Aria Bima", "Wakil Ketua Komisi II")]


def test_a_run_across_a_sentence_end_is_cut_there() -> None:
    text = (
        "Bupati Penajam Paser Utara Mudyat Noor menyerahkan bantuan kepada penerima PIP. Ia "
        "menegaskan bantuan itu tidak terkait pilkada.\n"
        "“Ini program pemerintah pusat,” katanya."
    )
    assert names(text) == [("Mudyat Noor", "Bupati Penajam Paser Utara")]


def test_a_ruling_read_out_by_a_role_named_before() -> None:
    text = (
        "Sidang pembacaan putusan dipimpin Ketua DKPP Heddy Lugito di Jakarta.\n"
        "“Menjatuhkan sanksi peringatan keras kepada Teradu I,” kata Ketua DKPP saat membacakan "
        "putusan."
    )
    assert names(text) == [("Heddy Lugito", "Ketua DKPP")]


def test_a_ruling_read_by_a_lower_case_role() -> None:
    text = (
        "Putusan dibacakan anggota majelis DKPP Ratna Dewi Pettalolo di Jakarta.\n"
        "“Merehabilitasi nama baik para Teradu,” kata anggota majelis saat membacakan putusan."
    )
    assert names(text) == [("Ratna Dewi Pettalolo", "anggota majelis DKPP")]


def test_no_one_named_gives_no_name() -> None:
    assert names("“Kami siap menggelar pemilu yang damai,” katanya.") == [(None, None)]
