"""Settings are typed: a value of the wrong kind is refused naming the setting and what it needs,
from a settings file as from the workspace, never a traceback from deep in a rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.errors import InputError
from app.jobs import load_settings
from rules.settings import Settings


@pytest.mark.parametrize(("text", "says"), [
    ('triage_target_days = "six weeks"', "setting 'triage_target_days' must be a whole number of days"),
    ("retention_days = -3", "setting 'retention_days' must be a whole number of days (0 or more), not -3"),
    ("wait_target_days = 21.5", "setting 'wait_target_days' must be a whole number of days"),
    ("representation_months = true", "setting 'representation_months' must be a whole number of months"),
    ('retention_start = "referral"', "setting 'retention_start' must be 'triage' or 'first_modality'"),
    ('effective_pdu_only = "yes"', "setting 'effective_pdu_only' must be true or false"),
    ('planned_reasons = "TCDF"', "setting 'planned_reasons' must be a list of discharge reason codes"),
    ("targets = { retention_12_weeks = 180 }", "retention_12_weeks must be a percent from 0 to 100, not 180"),
    ('partnership_name = "  "', "setting 'partnership_name' must be a name"),
    ("triage_days = 40", "unknown setting(s): triage_days"),
])
def test_a_wrong_setting_is_refused_in_one_line_naming_it(tmp_path: Path, text: str, says: str) -> None:
    path = tmp_path / "my settings.toml"
    path.write_text(text + "\n", encoding="utf-8")
    with pytest.raises(InputError) as refused:
        load_settings(path)
    message = str(refused.value)
    assert says in message and "my settings.toml" in message and "\n" not in message


def test_good_settings_are_read_in_their_types(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('triage_target_days = 35\nplanned_reasons = ["TCDF"]\nretention_start = "first_modality"\n'
                    'targets = { retention_12_weeks = 75 }\npartnership_name = " Anytown "\n', encoding="utf-8")
    settings = load_settings(path)
    assert settings.triage_target_days == 35 and settings.planned_reasons == ("TCDF",)
    assert settings.retention_start == "first_modality" and settings.partnership_name == "Anytown"
    assert settings.target("retention_12_weeks") == 75.0
    assert Settings.from_dict(settings.to_dict()) == settings
