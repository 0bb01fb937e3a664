"""One test per attribution rule of Indonesian news writing (bot/analyse/people.py,
bot/analyse/appositives.py)."""

from __future__ import annotations

from bot.analyse import analyze


def speakers(text: str) -> list[str | None]:
    return [q.speaker for q in analyze(None, text).quotes]


def test_lower_case_title_inside_a_role_run_keeps_the_role() -> None:
    text = (
        "Kepala Dinkes Samarinda dr Ismid Kusasih mengatakan, petugas akan datang ke sekolah.\n"
        "“Vaksin polio ini aman dan halal,” kata Ismid."
    )
    assert speakers(text) == ["Kepala Dinkes Samarinda dr Ismid Kusasih"]


def test_role_set_off_by_commas_before_a_name_is_registered() -> None:
    text = (
        "Calon ketua terpilih, Andi Saputra, berjanji menghidupkan kegiatan pemuda.\n"
        "“Ini amanah, bukan jabatan,” kata Andi."
    )
    assert speakers(text) == ["Calon ketua terpilih Andi Saputra"]


def test_degrees_after_a_name_are_not_a_name() -> None:
    text = (
        "Kepala SMAN 1 Tanah Grogot, Drs H Syahrani, M.Pd, menyambut baik kegiatan itu. "
        "Menurutnya, “Pendidikan pemilih seperti ini penting bagi siswa.”"
    )
    assert speakers(text) == ["Kepala SMAN 1 Tanah Grogot Drs H Syahrani"]


def test_lower_case_description_between_verb_and_name_is_the_role() -> None:
    text = (
        "Pasangan Rahmad Mas'ud dan Bagus Susetyo mendapat nomor urut 1.\n"
        "“Nomor satu ini pertanda baik,” kata calon wali kota nomor urut 1 Rahmad Mas'ud usai "
        "pengundian."
    )
    assert speakers(text) == ["calon wali kota nomor urut 1 Rahmad Mas'ud"]


def test_description_then_comma_then_name_after_the_verb() -> None:
    text = (
        "Ganda putri Indonesia menang atas wakil Jepang di Istora.\n"
        "“Mereka bermain sabar,” ujar pelatih ganda putri Indonesia, Eng Hian."
    )
    assert speakers(text) == ["pelatih ganda putri Indonesia Eng Hian"]


def test_appositive_after_a_name_keeps_the_name_as_subject() -> None:
    text = (
        "Malam final menobatkan Rizky Pratama dan Nadia Putri sebagai duta wisata.\n"
        "Nadia, mahasiswi Universitas Kutai Kartanegara, mengaku bangga terpilih.\n"
        "“Saya ingin mempromosikan wisata desa,” ujarnya."
    )
    assert speakers(text) == ["Nadia Putri"]


def test_place_after_a_name_keeps_the_name_as_subject() -> None:
    text = (
        "Salah satu calon jemaah, Hj Siti Aminah asal Long Ikis, mengaku sudah menunggu lama.\n"
        "“Saya menabung dari hasil jualan kue,” tuturnya."
    )
    assert speakers(text) == ["Hj Siti Aminah"]


def test_a_short_name_takes_the_articles_first_full_form() -> None:
    text = (
        "DPP menyerahkan rekomendasi kepada pasangan Isran Noor dan Hadi Mulyadi.\n"
        "Isran menyampaikan terima kasih.\n"
        "“Amanah ini berat,” ungkap Isran."
    )
    assert speakers(text) == ["Isran Noor"]


def test_weekday_after_a_role_is_not_a_name() -> None:
    text = (
        "Warga menggelar musyawarah pemilihan ketua RT, Sabtu (5/8) malam.\n"
        "Lurah Gunung Samarinda Ahmad Yani mengatakan SK ketua RT terbit pekan depan.\n"
        "“Cukup musyawarah, tidak perlu coblosan,” ujarnya."
    )
    assert speakers(text) == ["Lurah Gunung Samarinda Ahmad Yani"]


def test_number_ending_a_role_before_the_comma_and_name() -> None:
    text = "“Suaranya sampai jam dua pagi,” ungkap Ketua RT 05, Sugianto, Rabu (9/8)."
    assert speakers(text) == ["Ketua RT 05 Sugianto"]


def test_officer_back_reference_goes_to_the_person_with_a_rank() -> None:
    text = (
        "Kapolres Kutai Barat AKBP Heri Rusyaman memimpin pengawalan.\n"
        "Ketua KPU Kutai Barat Yohanes Kristo menjelaskan ada 37 TPS di hulu.\n"
        "Perwira menengah Polri itu menambahkan, patroli digelar selama masa tenang.\n"
        "“Personel sudah kami bekali,” pungkasnya."
    )
    assert speakers(text) == ["Kapolres Kutai Barat AKBP Heri Rusyaman"]


def test_multi_word_short_form_in_brackets_replaces_the_long_role() -> None:
    text = (
        "Wakil Gubernur Kalimantan Timur (Wagub Kaltim) H Hadi Mulyadi meminta ASN netral.\n"
        "“Jangan ikut berkampanye,” tegas Hadi."
    )
    assert speakers(text) == ["Wagub Kaltim H Hadi Mulyadi"]


def test_quantifier_is_not_part_of_the_role() -> None:
    text = (
        "Salah satu pembeli asal Samarinda, Dewi Lestari, mengaku sudah menyiapkan daftar.\n"
        "“Saya pilih yang perlu saja,” ujarnya."
    )
    assert speakers(text) == ["pembeli asal Samarinda Dewi Lestari"]


def test_two_speakers_alternating_with_a_reply_verb() -> None:
    text = (
        "Peneliti BRIN, Prof Dr Siti Zuhro, menilai kandidat saling serang.\n"
        "“Publik ingin tahu caranya,” ujar Siti.\n"
        "Juru Bicara TKN Budi Arie Prasetyo menyebut capresnya tampil sesuai rencana.\n"
        "“Kami puas,” kata Budi.\n"
        "Siti menimpali bahwa penilaian tim wajar berbeda.\n"
        "“Tim kampanye tentu memuji jagoannya,” katanya."
    )
    assert speakers(text) == [
        "Peneliti BRIN Prof Dr Siti Zuhro",
        "Juru Bicara TKN Budi Arie Prasetyo",
        "Peneliti BRIN Prof Dr Siti Zuhro",
    ]
