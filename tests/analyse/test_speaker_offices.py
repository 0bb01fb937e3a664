"""Offices and names the issue-14 sets missed (bot/analyse/names.py, people.py): a long office
with "dan", a short office before a short name, "bin" inside a name, a nickname of several
words in brackets. Each case is written here in its own words."""

from __future__ import annotations

import pytest

from bot.analyse import analyze


def names(text: str) -> list[str | None]:
    return [q.speaker_name for q in analyze(None, text).quotes]


def roles(text: str) -> list[str | None]:
    return [q.speaker_role for q in analyze(None, text).quotes]


@pytest.mark.parametrize(
    ("office", "name"),
    [
        ("Menteri Koordinator Bidang Pembangunan Manusia dan Kebudayaan", "Pratikno Hadi"),
        ("Kepala Dinas Pemuda dan Olahraga Kutai Timur", "Basuki Isnawan"),
        ("Kepala Dinas Koperasi dan UKM Bontang", "Muhammad Yusuf Halim"),
        ("Kepala Badan Penanggulangan Bencana dan Pemadam Kebakaran Paser", "Aris Munandar"),
    ],
)
def test_a_long_office_with_dan_is_not_part_of_the_name(office: str, name: str) -> None:
    text = (
        f"{office} {name} meninjau posko pengamanan pilkada, Selasa.\n"
        "“Semua petugas sudah kami siagakan sejak pagi,” katanya."
    )
    assert names(text) == [name]
    assert roles(text) == [office]


def test_a_field_word_the_article_writes_in_lower_case_ends_the_office() -> None:
    text = (
        "Deputi Bidang Koordinasi Hukum dan Persatuan Nasional Samsudin Noor membuka rapat itu. "
        "Rapat membahas persatuan warga menjelang pemungutan suara.\n"
        "“Kami ingin tidak ada konflik sesudah penetapan,” ujar Samsudin."
    )
    assert names(text) == ["Samsudin Noor"]


def test_a_lower_case_word_does_not_cut_a_two_word_name() -> None:
    text = (
        "Anggota KPU Paser Dewi Putra meninjau gudang. Tiga putra daerah ikut menyortir.\n"
        "“Sortir selesai lusa,” kata Dewi."
    )
    assert names(text) == ["Dewi Putra"]


def test_a_short_office_before_a_short_name_is_the_person_named_in_full() -> None:
    text = (
        "Menteri Koordinator Bidang Perekonomian Airlangga Santoso menghadiri rapat inflasi "
        "menjelang pilkada.\n"
        "“Harga beras harus stabil sampai hari pemungutan,” kata Menko Perekonomian Airlangga.\n"
        "“Stok Bulog cukup untuk tiga bulan,” ujar Airlangga Santoso."
    )
    assert names(text) == ["Airlangga Santoso", "Airlangga Santoso"]


def test_a_short_office_word_that_names_someone_else_is_not_dropped() -> None:
    text = (
        "Kadis Kominfo Paser Rahmat Hidayat dan Kabag Humas Yanti Rahmat membuka pelatihan.\n"
        "“Hoaks pilkada harus dilawan bersama,” kata Kabag Humas Yanti Rahmat."
    )
    assert names(text) == ["Yanti Rahmat"]


@pytest.mark.parametrize("joiner", ["bin", "binti"])
def test_bin_and_binti_stay_inside_the_name(joiner: str) -> None:
    text = (
        f"Terdakwa Hasanah {joiner} Abdul Karim divonis dua bulan percobaan oleh hakim. "
        "Ia terbukti membagikan sembako bergambar calon.\n"
        "“Saya menerima putusan itu,” kata Hasanah."
    )
    assert names(text) == [f"Hasanah {joiner} Abdul Karim"]


def test_a_nickname_of_several_words_in_brackets_is_not_the_name() -> None:
    text = (
        "Calon wali kota Muhammad Ridwan Effendi (Pak Iwan) berkampanye di Pasar Segiri.\n"
        "“Pasar ini kami bangun ulang,” kata Pak Iwan."
    )
    assert names(text) == ["Muhammad Ridwan Effendi"]


def test_an_office_with_kabinet_is_not_part_of_the_name() -> None:
    text = (
        "Sekretaris Kabinet Yusuf Permana mengumumkan jadwal cuti menteri yang berkampanye.\n"
        "“Cuti diajukan tiga hari sebelumnya,” ujar Yusuf."
    )
    assert names(text) == ["Yusuf Permana"]


def test_a_post_written_as_an_acronym_before_a_name_set_off_by_commas() -> None:
    text = (
        "Saksi kedua pasangan calon hadir sampai akhir. PKD Sempaja Utara, Rina Oktaviani, "
        "mengikuti penghitungan sejak pagi. Dia memastikan tidak ada keberatan.\n"
        "“Semua formulir sudah ditandatangani saksi,” ujarnya."
    )
    quotes = analyze(None, text).quotes
    assert [(q.speaker_name, q.speaker_role) for q in quotes] == [
        ("Rina Oktaviani", "PKD Sempaja Utara")
    ]


def test_an_institution_listed_before_another_is_not_a_post() -> None:
    text = (
        "KPU Paser, Bawaslu Paser, dan polisi meninjau gudang logistik.\n"
        "“Gudang aman dan terkunci,” kata Ketua KPU Paser Yusuf Hamdani."
    )
    assert names(text) == ["Yusuf Hamdani"]


@pytest.mark.parametrize("institution", ["Kemenkumham", "Pemprov Kaltim", "Disdukcapil Berau"])
def test_an_institution_written_as_one_short_word_is_part_of_the_office(institution: str) -> None:
    text = (
        f"Kepala Bagian Umum {institution} Faisal Anwar Lubis mengatakan layanan tetap buka "
        "pada hari pemungutan suara.\n"
        "“Petugas piket bisa mencoblos di TPS terdekat,” ujarnya."
    )
    assert names(text) == ["Faisal Anwar Lubis"]


def test_two_people_joined_by_dan_each_with_a_role_are_two_mentions() -> None:
    text = (
        "Anggota KPU Berau Maria Goreti dan Ketua KPU Berau Budi Santoso meninjau gudang.\n"
        "“Kotak suara sudah disegel,” kata Maria.\n"
        "“Besok kami kirim ke kecamatan,” kata Budi."
    )
    assert names(text) == ["Maria Goreti", "Budi Santoso"]


def test_initials_in_brackets_after_a_name_are_that_person() -> None:
    text = (
        "Calon Bupati Paser Fahmi Fadli (FF) berkampanye di Long Kali.\n"
        "“Jalan desa kami aspal semua,” kata FF."
    )
    assert names(text) == ["Fahmi Fadli"]


def test_an_institutions_initials_are_still_not_a_person() -> None:
    text = (
        "Dinas Lingkungan Hidup (DLH) Paser mengangkut sampah sisa kampanye.\n"
        "“Sampah kami angkut malam ini,” kata DLH."
    )
    assert names(text) == [None]


def test_kepala_negara_is_the_president_named_before() -> None:
    text = (
        "Presiden Hendra Wirawan meninjau TPS di Jakarta Pusat.\n"
        "“Saya lihat semua berjalan tertib,” kata Kepala Negara."
    )
    assert names(text) == ["Hendra Wirawan"]


def test_a_name_before_a_quote_does_not_take_the_word_after_the_quote() -> None:
    text = (
        "KPU Berau menyiapkan logistik di gudang. Menurut Ketua KPU Berau Budi Satria, “Semua "
        "TPS sudah didirikan.” Ia memastikan tidak ada kotak suara yang rusak."
    )
    assert names(text) == ["Budi Satria"]


def test_dotted_initials_inside_a_name_stay_in_it() -> None:
    text = (
        "Kapolres Paser AKBP Rudi M.S. Siregar mengecek gudang logistik pilkada.\n"
        "“Penjagaan kami lakukan 24 jam,” kata Rudi."
    )
    assert names(text) == ["Rudi M.S. Siregar"]


def test_a_vice_minister_written_as_one_word_is_an_office() -> None:
    text = (
        "Wakil Menteri Dalam Negeri Arif Budiman Sulistyo membuka rapat hibah pilkada.\n"
        "“Hibah harus cair bulan ini,” kata Wamendagri Arif Budiman."
    )
    assert names(text) == ["Arif Budiman Sulistyo"]


def test_an_office_listing_its_fields_with_commas_keeps_them_in_the_role() -> None:
    text = (
        "Bawaslu Paser menggelar rapat evaluasi pengawasan kampanye.\n"
        "“Ada sembilan temuan,” ujar Koordinator Divisi Hukum, Pencegahan dan Hubungan "
        "Masyarakat Bawaslu Paser, Yusran Hadi."
    )
    quotes = analyze(None, text).quotes
    assert [q.speaker_name for q in quotes] == ["Yusran Hadi"]
    assert quotes[0].speaker_role == (
        "Koordinator Divisi Hukum, Pencegahan dan Hubungan Masyarakat Bawaslu Paser"
    )


@pytest.mark.parametrize("title", ["Habib", "Syekh", "Ustazah"])
def test_an_arabic_honorific_is_not_part_of_the_name(title: str) -> None:
    text = (
        f"Ceramah kebangsaan menjelang pilkada disampaikan {title} Umar bin Salim Assegaf di "
        "Masjid Raya Samarinda.\n"
        "“Beda pilihan jangan memutus silaturahmi,” kata Umar."
    )
    assert names(text) == ["Umar bin Salim Assegaf"]
