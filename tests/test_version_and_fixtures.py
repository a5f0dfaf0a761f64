"""One version for Python and the front end; the shared offsets fixture is current."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import nbannotate

ROOT = Path(__file__).resolve().parents[1]


def test_python_and_package_json_versions_agree():
    package = json.loads((ROOT / "package.json").read_text())
    assert package["version"] == nbannotate.__version__
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert lock["version"] == nbannotate.__version__


def test_pyproject_reads_the_version_from_one_place():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" in config["project"]["dynamic"]
    assert config["tool"]["hatch"]["version"]["path"] == "nbannotate/_version.py"


def test_offsets_fixture_is_current_and_matches_python_slicing():
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_offsets",
                                                  ROOT / "tests/fixtures/make_offsets.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    stored = json.loads((ROOT / "tests/fixtures/offsets.json").read_text(encoding="utf-8"))
    assert stored == module.build()
    for case in stored:
        text = case["text"]
        utf16 = text.encode("utf-16-le")
        for cp, u16 in enumerate(case["utf16_of_code_point"]):
            # The UTF-16 prefix up to u16 decodes to exactly the first cp code points.
            assert utf16[: 2 * u16].decode("utf-16-le") == text[:cp]


def test_built_bundles_exist_for_every_entry():
    entries = [p.stem for p in (ROOT / "js").glob("*.ts") if p.stem != "types"]
    static = Path(nbannotate.__file__).parent / "static"
    for entry in entries:
        assert (static / f"{entry}.js").stat().st_size > 1000, entry
