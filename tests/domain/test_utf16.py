from hypothesis import given
from hypothesis import strategies as st

from annotator.domain.utf16 import Utf16Map

SAMPLES = [
    "plain ascii",
    "emoji 😀 and 👩‍👩‍👧 family",
    "combining e\u0301 and a\u0308",
    "CJK 政策文本 and extension B 𠀀𠀁",
    "𝒜𝒷𝒸 math letters",
]


def _utf16_offset(text: str, cp: int) -> int:
    return len(text[:cp].encode("utf-16-le")) // 2


def test_known_texts_convert_both_ways():
    for text in SAMPLES:
        m = Utf16Map(text)
        assert m.utf16_length == len(text.encode("utf-16-le")) // 2
        for cp in range(len(text) + 1):
            u = m.to_utf16(cp)
            assert u == _utf16_offset(text, cp)
            assert m.from_utf16(u) == cp


def test_low_surrogate_position_snaps_to_character_start():
    m = Utf16Map("a😀b")
    assert m.from_utf16(2) == 1  # inside the emoji's surrogate pair


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_roundtrip_property(text: str):
    m = Utf16Map(text)
    for cp in range(len(text) + 1):
        assert m.from_utf16(m.to_utf16(cp)) == cp
        assert m.to_utf16(cp) == _utf16_offset(text, cp)
