"""Lead sentence: one sentence, the dateline removed."""

from __future__ import annotations

import pytest

from bot.analyse import analyze
from bot.analyse.lead import lead_sentence, strip_dateline


@pytest.mark.parametrize(
    ("text", "lead"),
    [
        (
            "BALIKPAPAN, Inibalikpapan.com – Pemilu 2024 harus menjadi tanggungjawab semua "
            "pihak. Sehingga proses demokrasi berjalan adil.",
            "Pemilu 2024 harus menjadi tanggungjawab semua pihak.",
        ),
        ("Jakarta (ANTARA) - KPU menetapkan DPT. Lalu rapat.", "KPU menetapkan DPT."),
        ("KOMPAS.com - Bawaslu menerima laporan. Lainnya.", "Bawaslu menerima laporan."),
        (
            "SAMARINDA – Bawaslu Kaltim memantau kampanye. Lainnya.",
            "Bawaslu Kaltim memantau kampanye.",
        ),
        ("Samarinda, Presisi.co – Bawaslu bekerja. Lainnya.", "Bawaslu bekerja."),
        ("Sinarkaltim.id, KUTAI KARTANEGARA – DKP bekerja. Lainnya.", "DKP bekerja."),
        (
            "BALIKPAPAN: Hasil kurang memuaskan diraih Persiba. Lainnya.",
            "Hasil kurang memuaskan diraih Persiba.",
        ),
        (
            "Ketua KPU M. Afifuddin hadir di Jl. Merdeka No. 5 pukul 10.00 WIB. Lalu pulang.",
            "Ketua KPU M. Afifuddin hadir di Jl. Merdeka No. 5 pukul 10.00 WIB.",
        ),
        (
            "“Kami siap,” kata Ketua KPU. KPU Bontang menyiapkan logistik pemilu. Lalu.",
            "KPU Bontang menyiapkan logistik pemilu.",
        ),
    ],
)
def test_lead_sentence(text: str, lead: str) -> None:
    assert lead_sentence(text) == lead


def test_a_sentence_with_a_dash_is_not_a_dateline() -> None:
    text = "pemilu 2024 - pesta demokrasi - berjalan damai."
    assert strip_dateline(text) == text


def test_analysis_carries_the_lead() -> None:
    result = analyze("KPU", "Jakarta (ANTARA) - KPU menetapkan DPT Pemilu 2024. Rapat pleno.")
    assert result.lead == "KPU menetapkan DPT Pemilu 2024."
