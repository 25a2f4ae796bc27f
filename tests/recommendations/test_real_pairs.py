"""Response matching on the two real report/response pairs (skipped without them)."""

import pytest

from annotator.services.project import Project
from tests.recommendations.real_pairs import PAIRS, REAL, evaluate

pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real-docs is absent")


@pytest.mark.parametrize("name", list(PAIRS))
def test_recall_at_5_and_status_on_a_real_pair(tmp_path, name):
    project = Project.create(tmp_path / "pair.annotator", starter=False)
    try:
        result = evaluate(project, name)
    finally:
        project.close()
    assert result.unlocated == []
    assert len(result.rank) == {"covid-inquiry-m1": 10, "behaviour-change": 33}[name]
    assert result.recall(5) >= 0.9, result.rank
    assert result.recall(1) >= 0.8, result.rank
    assert result.status_accuracy >= 0.7, result.status_ok
    assert result.seconds < 2.0
