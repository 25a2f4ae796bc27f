import uuid

import pytest

from annotator.domain.errors import NotFoundError, ValidationError
from annotator.domain.model import Coding, new_id
from annotator.services.project import Project
from annotator.services.starter import starter_code_id

PREVENTION = starter_code_id("Themes/Prevention")
FOLDER = starter_code_id("Themes")


def _first_doc(sample: Project):
    summary = sample.documents.list()[0]
    return sample.documents.get(summary.id)


def _coding(doc, coder, start, end, code=PREVENTION) -> Coding:
    return Coding(new_id(), doc.id, code, coder.id, start, end, quote="ignored")


def test_add_stores_the_true_quote_and_times(sample: Project):
    doc = _first_doc(sample)
    me = sample.coders.ensure("Tester")
    stored = sample.codings.add(_coding(doc, me, 0, 9))
    assert stored.quote == doc.text[0:9] == "Whitehall"
    again = sample.codings.get(stored.id)
    assert again == stored
    assert again.created_at.tzinfo is not None


@pytest.mark.parametrize(("start", "end"), [(5, 5), (-1, 3), (7, 3), (0, 10**9)])
def test_bad_spans_are_refused(sample: Project, start: int, end: int):
    doc = _first_doc(sample)
    me = sample.coders.ensure("Tester")
    before = len(sample.codings.all())
    with pytest.raises(ValidationError):
        sample.codings.add(_coding(doc, me, start, end))
    assert len(sample.codings.all()) == before


def test_folder_codes_cannot_be_applied(sample: Project):
    doc = _first_doc(sample)
    me = sample.coders.ensure("Tester")
    with pytest.raises(ValidationError, match="folder"):
        sample.codings.add(_coding(doc, me, 0, 9, code=FOLDER))


def test_remove_restore_is_exact(sample: Project):
    doc = _first_doc(sample)
    originals = sample.codings.for_document(doc.id)
    removed = sample.codings.remove([c.id for c in originals])
    assert sample.codings.for_document(doc.id) == []
    sample.codings.restore(removed)
    assert sample.codings.for_document(doc.id) == originals
    with pytest.raises(NotFoundError):
        sample.codings.remove([uuid.uuid4()])


def test_update_and_replace(sample: Project):
    doc = _first_doc(sample)
    me = sample.coders.ensure("Tester")
    c = sample.codings.add(_coding(doc, me, 0, 9))
    moved = sample.codings.update(c.with_changes(start=10, end=14, memo="why"))
    assert moved.quote == doc.text[10:14]
    assert moved.modified_at >= c.modified_at
    sample.codings.replace(c)
    assert sample.codings.get(c.id) == c


def test_counts_follow_coders(sample: Project):
    doc = _first_doc(sample)
    a = sample.coders.find("Sample coder A")
    all_counts = sample.codings.counts(doc.id)
    a_counts = sample.codings.counts(doc.id, {a.id})
    total_here = sum(v.in_document for v in all_counts.values())
    assert total_here == len(sample.codings.for_document(doc.id))
    assert sum(v.in_document for v in a_counts.values()) == len(
        sample.codings.for_document(doc.id, {a.id})
    )


def test_plain_rows_unpack_in_the_order_of_codings_fields():
    # The fast loader unpacks rows by position: a reordered Coding must fail here, loudly.
    from dataclasses import fields

    from annotator.domain.model import Coding
    from annotator.services.codings import _PLAIN_COLUMNS

    assert tuple(f.name for f in fields(Coding)) == _PLAIN_COLUMNS
