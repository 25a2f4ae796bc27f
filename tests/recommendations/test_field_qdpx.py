"""Our own .qdpx keeps fields and values; other tools' view stays valid; merges bring values."""

from __future__ import annotations

import zipfile

from annotator.domain.model import Coding, new_id
from annotator.exchange.refi.fields_member import MEMBER
from annotator.services.project import Project
from annotator.services.refi import import_qdpx, merge
from annotator.services.refi_export import export_project
from annotator.services.starter import starter_code_id

REC = starter_code_id("Recommendations/Recommendation")


def _state(p: Project) -> tuple:
    fields = sorted(
        (f.code_id, f.name, f.kind, f.choices, f.required) for f in p.fields.all_fields()
    )
    values = sorted(
        (str(v.coding_id), str(v.field_id), repr(v.value), str(v.coder_id), v.suggested)
        for v in p.fields.all_values()
    )
    return fields, values


def test_round_trip_into_an_empty_project_is_lossless(sample: Project, tmp_path) -> None:
    out = tmp_path / "s.qdpx"
    export_project(sample, out)
    with zipfile.ZipFile(out) as z:
        assert MEMBER in z.namelist() and "project.qde" in z.namelist()
    other = Project.create(tmp_path / "t.annotator", starter=False)
    try:
        report = import_qdpx(other, out)
        assert report.fields_added == 4 and report.values_changed == len(sample.fields.all_values())
        assert _state(other) == _state(sample)
        again = import_qdpx(other, out)
        assert again.fields_added == 0 and again.values_changed == 0
    finally:
        other.close()


def test_merging_a_coders_qdpx_brings_their_values(sample: Project, tmp_path) -> None:
    # The coder works on a copy of the project and fills in a strength the lead lacks.
    copy = tmp_path / "coder.qdpx"
    export_project(sample, copy)
    coder = Project.create(tmp_path / "coder.annotator")
    try:
        import_qdpx(coder, copy)
        a = coder.coders.find("Sample coder A")
        strength = next(f for f in coder.fields.fields_for_code(REC) if f.name == "Strength")
        missing = coder.fields.missing_required({a.id})
        assert [m.field.name for m in missing] == ["Strength"]
        coder.fields.set_value(missing[0].coding_id, strength.id, strength.choices[0].id, a.id)
        doc = coder.documents.list()[0]
        text = coder.documents.get(doc.id).text
        extra = coder.codings.add(Coding(new_id(), doc.id, REC, a.id, 0, 9, text[:9]))
        coder.fields.set_value(extra.id, strength.id, strength.choices[2].id, a.id)
        out = tmp_path / "back.qdpx"
        export_project(coder, out, coders=["Sample coder A"])
    finally:
        coder.close()
    report = merge(sample, out)
    assert report.values_changed == 2
    lead = {v.coding_id: v for v in sample.fields.all_values() if v.field_id == strength.id}
    assert lead[missing[0].coding_id].value == strength.choices[0].id
    assert lead[extra.id].value == strength.choices[2].id
    assert "Strength" not in {m.field.name for m in sample.fields.missing_required()}
    assert merge(sample, out).values_changed == 0  # merging twice changes nothing
