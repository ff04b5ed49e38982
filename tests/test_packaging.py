"""The built wheel carries every data file the app reads, so `pip install .` works, not only an
editable install."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_wheel_ships_the_catalogue_stylesheet_and_schemas(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(ROOT),
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("tracker-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "tracker/starter_catalogue.json",
        "tracker/app.tcss",
        "tracker/store/journal.schema.json",
        "tracker/domain/catalogue_schema.json",
    ):
        assert needed in names, needed
    shipped = zipfile.ZipFile(wheel).read("tracker/starter_catalogue.json")
    assert shipped == (ROOT / "starter_catalogue.json").read_bytes()
    assert any(n.endswith("entry_points.txt") for n in names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "tracker = tracker.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
