"""Shared fixtures: where the real data is, and skipping visibly when it is absent."""
import os
import pathlib

import pytest

# ctest passes TESSERA_SHARED_DATA_DIR; run by hand, the data is ../shared/data beside the
# project root (this file is examples/python/tests/conftest.py).
_DEFAULT = pathlib.Path(__file__).resolve().parents[3] / ".." / "shared" / "data"
DATA_DIR = pathlib.Path(os.environ.get("TESSERA_SHARED_DATA_DIR", _DEFAULT)).resolve()


@pytest.fixture(scope="session")
def data_dir():
    """The shared test data directory; skips the test (with the reason shown) if absent."""
    if not DATA_DIR.is_dir():
        pytest.skip(f"shared test data not found at {DATA_DIR} (expected ../shared/data)")
    return DATA_DIR
