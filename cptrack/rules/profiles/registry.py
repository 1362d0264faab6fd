"""Every profile shipped with cptrack, and the extension sections a profile may have."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent

# One registry: every profile shipped with cptrack. A test checks that every .toml file
# here is listed and that every listed profile loads.
REGISTRY: dict[str, str] = {
    "national": "national.toml",
    "authority-a": "authority-a.toml",
    "lbh": "lbh.toml",
    "bathnes": "bathnes.toml",
    "sunderland": "sunderland.toml",
    "dorset": "dorset.toml",
}

# Extension sections, by name: "module:function" and a line of help (see the package's docstring).
SECTIONS: dict[str, tuple[str, str]] = {
    "observation": (
        "cptrack.quality.observation.section:parse",
        "the practice observation framework: domains and criteria with their sources, "
        "applied to the standard framework (docs/qa.md)",
    ),
    "preparation_checklist": (
        "cptrack.rules.checklist:parse",
        "the chair's conference preparation checklist: items with their sources, answered "
        "by the records or ticked by the chair (cptrack/rules/checklist.py)",
    ),
}


def available() -> list[str]:
    """The registered profile names."""
    return list(REGISTRY)
