from annotator.domain.snapping import snap_to_words

TEXT = "Councils should value prevention, and the council’s place-shaping role."


def _snap(a: str) -> str:
    start = TEXT.index(a)
    s, e = snap_to_words(TEXT, start, start + len(a))
    return TEXT[s:e]


def test_partial_words_grow_to_whole_words():
    assert _snap("ncils shou") == "Councils should"


def test_whitespace_at_edges_is_trimmed():
    assert _snap(" value ") == "value"


def test_apostrophes_and_hyphens_stay_inside_words():
    assert _snap("ncil’s place-sh") == "council’s place-shaping"


def test_punctuation_after_a_word_is_not_added():
    assert _snap("preven") == "prevention"


def test_reversed_and_out_of_range_are_clamped():
    assert snap_to_words(TEXT, 10, 0) == (0, 15)
    assert snap_to_words("abc", -3, 99) == (0, 3)
