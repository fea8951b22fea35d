"""Mapping profiles the person confirmed, kept so the next quarter's files map the same way.

A confirmed profile is saved in the open workspace (``Workspace.save_profile``, with the partnership's
other records) and in the app's settings (so it is offered whichever workspace is open, or none).
When both hold a profile of the same name, the workspace's wins.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QSettings

from app.extracts import MappingProfile

KEY = "mapping/profiles"


def saved_profiles(workspace: Any = None) -> dict[str, MappingProfile]:
    """Every saved profile by name: the app's, then the open workspace's over them."""
    found: dict[str, MappingProfile] = {}
    try:
        stored = json.loads(str(QSettings().value(KEY, "{}") or "{}"))
    except ValueError:
        stored = {}
    sources = [stored if isinstance(stored, dict) else {}]
    if workspace is not None:
        sources.append(workspace.profiles)
    for source in sources:
        for name, data in source.items():
            try:
                found[name] = MappingProfile.from_json(data, default_name=name)
            except Exception:  # a damaged entry is skipped, never stops an import
                continue
    return dict(sorted(found.items()))


def remember(profile: MappingProfile, workspace: Any = None) -> None:
    """Keep a confirmed profile in the app's settings and in the open workspace."""
    settings = QSettings()
    try:
        stored = json.loads(str(settings.value(KEY, "{}") or "{}"))
    except ValueError:
        stored = {}
    stored = stored if isinstance(stored, dict) else {}
    stored[profile.name] = profile.to_json()
    settings.setValue(KEY, json.dumps(stored, sort_keys=True))
    if workspace is not None:
        workspace.save_profile(profile.name, profile)


def best_match(profiles: dict[str, MappingProfile], headers: list[str]) -> str | None:
    """The saved profile that knows most of these headers (None when none knows any)."""
    scores = {name: sum(p.header_for(h) is not None for h in headers) for name, p in profiles.items()}
    best = max(scores, key=lambda n: scores[n], default=None)
    return best if best is not None and scores[best] > 0 else None
