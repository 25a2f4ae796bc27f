"""The one place where code-point offsets meet UTF-16 code units.

Qt (``QTextCursor`` positions) and NVivo's REFI-QDA exports count UTF-16 code units; the
project counts Python code points. A character outside the Basic Multilingual Plane
(emoji, many CJK extensions, mathematical letters) is one code point but two UTF-16 units.
:class:`Utf16Map` converts in both directions in O(log n) per call after an O(n) scan.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class Utf16Map:
    """Offset conversion for one text.

    ``_astral`` holds the code-point index of every astral character, in order, so the
    UTF-16 offset of code point ``i`` is ``i`` plus the number of astral characters before it.
    """

    __slots__ = ("_astral", "_astral_units", "_length")

    def __init__(self, text: str) -> None:
        # Fast path: a text with no astral characters is as long in UTF-16 as in code
        # points, which one C-level encode tells us faster than a regex scan.
        if text.isascii() or len(text.encode("utf-16-le")) == 2 * len(text):
            self._astral: list[int] = []
        else:
            self._astral = [m.start() for m in _ASTRAL.finditer(text)]
        # UTF-16 index of each astral character's high surrogate.
        self._astral_units: list[int] = [cp + k for k, cp in enumerate(self._astral)]
        self._length = len(text)

    @property
    def is_trivial(self) -> bool:
        """True when the text has no astral characters, so both counts agree."""
        return not self._astral

    @property
    def utf16_length(self) -> int:
        """Length of the text in UTF-16 code units."""
        return self._length + len(self._astral)

    def to_utf16(self, offset: int) -> int:
        """Convert a code-point offset (0..len) to a UTF-16 offset."""
        if not 0 <= offset <= self._length:
            raise ValueError(f"offset {offset} outside 0..{self._length}")
        return offset + bisect_left(self._astral, offset)

    def from_utf16(self, unit: int) -> int:
        """Convert a UTF-16 offset to a code-point offset.

        A unit that falls between the two halves of a surrogate pair is moved back to the
        start of that character, so a selection can never split one.
        """
        if not 0 <= unit <= self.utf16_length:
            raise ValueError(f"UTF-16 offset {unit} outside 0..{self.utf16_length}")
        # Astral characters whose high surrogate starts strictly before ``unit``.
        k = bisect_left(self._astral_units, unit)
        if k and self._astral_units[k - 1] + 1 == unit:
            # ``unit`` points at a low surrogate: snap back to the high one.
            return self._astral[k - 1]
        return unit - k

    def count_astral_before(self, offset: int) -> int:
        """Number of astral characters in ``text[:offset]``."""
        return bisect_right(self._astral, offset - 1)
