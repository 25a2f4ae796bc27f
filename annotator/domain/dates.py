"""Document dates as ISO 8601: what exports write and what charts put on a time axis.

A document's date is stored as found ("2023", "March 2021", "4 December 2026",
"2026-12-04T10:00:00Z"). :func:`iso_date` turns the usual forms into an ISO date of the
precision the text has (``2023``, ``2021-03``, ``2026-12-04``); a text it cannot read is
returned unchanged rather than guessed (``03/04/2021`` is April in Britain and March in the
United States), so nothing the researcher typed is lost.
"""

from __future__ import annotations

import re
from datetime import datetime

_FULL = ("%Y-%m-%d", "%Y/%m/%d", "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y")
_MONTH = ("%Y-%m", "%Y/%m", "%B %Y", "%b %Y")
_ISO_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}")
_YEAR = re.compile(r"^\d{4}$")


def iso_date(text: str | None) -> str | None:
    """``text`` as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; unreadable text unchanged."""
    if text is None:
        return None
    raw = " ".join(text.replace(",", ", ").split()).replace(" ,", ",")
    if not raw:
        return None
    if _YEAR.match(raw):
        return raw
    timed = _ISO_TIME.match(raw)
    if timed:
        raw = timed.group(1)
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", raw)
    for fmt in _FULL:
        try:
            return datetime.strptime(cleaned, fmt).date().isoformat()
        except ValueError:
            pass
    for fmt in _MONTH:
        try:
            return datetime.strptime(cleaned, fmt).strftime("%Y-%m")
        except ValueError:
            pass
    return text.strip()


def year_of(text: str | None) -> int | None:
    """The year of a document date, when :func:`iso_date` can read one."""
    iso = iso_date(text)
    if iso and re.match(r"^\d{4}(-|$)", iso):
        return int(iso[:4])
    return None
