"""Relevance rules from the issue-14 sets (bot/analyse/relevance.py): an acronym the article
spells out as something else, and a non-public election the article names once."""

from __future__ import annotations

from bot.analyse import analyze


def test_an_acronym_spelled_out_as_something_else_is_not_the_election_term() -> None:
    title = "Warga Loa Janan protes TPS menumpuk"
    text = (
        "TENGGARONG – Warga Loa Janan memprotes tempat pembuangan sampah sementara (TPS) di "
        "pinggir jalan poros yang tidak diangkut selama sepekan.\n"
        "“Baunya sampai ke rumah,” kata Rusmini, warga setempat.\n"
        "Dinas Lingkungan Hidup berjanji mengangkut sampah dari TPS itu besok pagi."
    )
    result = analyze(title, text)
    assert not result.is_election
    assert any("arti lain" in r.note for r in result.reasons)


def test_an_acronym_spelled_out_as_the_election_term_still_counts() -> None:
    text = (
        "KPU Paser menetapkan 812 tempat pemungutan suara (TPS) untuk pilkada. Setiap TPS "
        "melayani paling banyak 600 pemilih."
    )
    result = analyze("KPU Paser tetapkan 812 TPS", text)
    assert result.is_election
    assert not any("arti lain" in r.note for r in result.reasons)


def test_a_village_election_named_once_frames_its_other_mentions() -> None:
    title = "Pilkades di 25 desa Paser digelar serentak"
    text = (
        "TANAH GROGOT – Pemilihan kepala desa (pilkades) di 25 desa Kabupaten Paser digelar "
        "serentak, Minggu. Warga antre di tempat pemungutan suara sejak pagi.\n"
        "Panitia menyiapkan surat suara cadangan di setiap desa. Hasil pilkades diumumkan panitia "
        "kabupaten sepekan kemudian."
    )
    assert not analyze(title, text).is_election


def test_a_village_head_urging_voters_is_still_election_news() -> None:
    title = "Kades Long Ikis ajak warga ke TPS"
    text = (
        "LONG IKIS – Kepala desa Long Ikis berkeliling mengajak warga datang ke TPS pada hari "
        "pemungutan suara pilkada.\n"
        "Di desa itu ada lima TPS dengan 2.100 pemilih. KPU Paser mencatat partisipasi desa itu "
        "pada pemilu lalu 71 persen."
    )
    assert analyze(title, text).is_election


def test_a_campus_election_is_not_the_public_election() -> None:
    title = "Pemira BEM Politeknik Samarinda berlangsung daring"
    text = (
        "SAMARINDA – Pemilihan raya (pemira) Badan Eksekutif Mahasiswa Politeknik Samarinda "
        "digelar daring selama dua hari. Panitia mencatat 2.140 mahasiswa memberikan suara.\n"
        "Tiga pasangan calon ketua BEM sempat berdebat di aula kampus pekan lalu. "
        "Pemenang pemira dilantik rektor awal bulan depan."
    )
    assert not analyze(title, text).is_election


def test_students_called_to_vote_in_the_pilkada_are_still_election_news() -> None:
    title = "KPU ajak mahasiswa Unmul jadi pemilih cerdas di Pilkada"
    text = (
        "SAMARINDA – KPU Kaltim mengajak mahasiswa Universitas Mulawarman mengecek nama mereka "
        "di daftar pemilih tetap sebelum Pilkada serentak. Ketua BEM menyatakan siap membantu "
        "sosialisasi di kampus."
    )
    assert analyze(title, text).is_election
