import pytest

from bot.places import build_gazetteer, load_gazetteer

GAZ = load_gazetteer()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("KPU Balikpapan menetapkan DPT", {"balikpapan", "kaltim"}),
        ("Bawaslu Kaltim mengawasi kampanye", {"kaltim"}),
        ("Pemilu di Kalimantan Timur dan Samarinda", {"kaltim", "samarinda"}),
        ("Rapat di Papua Barat", {"papua-barat"}),
        ("Rapat KPU Jakarta Selatan", {"jakarta-selatan", "jakarta"}),
        ("Pleno di PPU dan Kukar", {"penajam-paser-utara", "kutai-kartanegara", "kaltim"}),
        ("Sapi merumput di padang rumput", set()),
        ("KPU RI menetapkan jadwal Pemilu 2029", set()),
        ("Kota Sumbawa berbeda dengan Sumba", {"sumbawa", "sumba", "ntb", "ntt"}),
    ],
)
def test_places_named_in_a_text_and_their_provinces(text, expected):
    assert GAZ.regions(text) == expected


def test_extra_places_from_config_merge_into_their_province(tmp_path):
    extra = tmp_path / "places.yaml"
    extra.write_text("provinces:\n  - id: kaltim\n    places: {sepaku: [Sepaku]}\n")
    merged = load_gazetteer(str(extra))
    assert merged.regions("TPS di Sepaku") == {"sepaku", "kaltim"}
    assert merged.regions("KPU Balikpapan") == {"balikpapan", "kaltim"}


def test_a_broken_places_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "places.yaml"
    bad.write_text("provinces: {kaltim: 1}\n")
    with pytest.raises(ValueError, match="provinces"):
        load_gazetteer(str(bad))


def test_known_ids():
    gaz = build_gazetteer([{"id": "x", "names": ["Ex"], "places": {"y": ["Wye"]}}])
    assert gaz.known("x") and gaz.known("y") and not gaz.known("z")
