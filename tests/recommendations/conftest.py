"""GUI fixtures shared with tests/gui (a real window on a real sample project file)."""

from tests.gui.conftest import sample_path, window  # noqa: F401 - pytest fixtures
