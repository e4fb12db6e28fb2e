"""Rule sets: the four bundled organisations load, and mistakes in a file are named, not ignored."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from baosong import BUNDLED_CONFIG
from baosong.organisation import ConfigError
from scoring.ruleset import UNCLASSED, load_ruleset
from tests.scoring.builders import ruleset


@pytest.mark.parametrize("key", ["A", "B", "C", "D"])
def test_bundled_rule_set_loads_with_classes_and_outlets(key: str) -> None:
    rules = ruleset(key)
    assert rules.classes and rules.outlets and rules.groups


def test_a_lists_twenty_one_units_in_four_classes() -> None:
    rules = ruleset("A")
    assert {cls.name: len(cls.members) for cls in rules.classes} == {
        "县市环保局": 7,
        "园区环保局": 3,
        "局机关科室": 7,
        "直属单位": 4,
    }


def test_a_class_names_match_the_unit_registry() -> None:
    registry = (BUNDLED_CONFIG / "orgs" / "A" / "units.csv").read_text(encoding="utf-8").splitlines()[1:]
    rules = ruleset("A")
    for line in registry:
        name, _aliases, category, _email = line.split(",")
        assert rules.class_of(name, category) == category
        assert name in rules.unit_class(category).members


def test_publicity_section_override_raises_its_targets() -> None:
    rules = ruleset("A")
    assert rules.targets_for("昌吉州生态环境局宣教科（组织人事科）", "局机关科室") == {"政务": 200, "新闻": 80}
    assert rules.targets_for("昌吉州生态环境局法规科", "局机关科室") == {"政务": 150, "新闻": 40}


def test_unit_without_known_class_is_unclassed() -> None:
    assert ruleset("A").class_of("不存在的单位", "") == UNCLASSED


def test_outlet_is_found_by_alias() -> None:
    assert ruleset("A").outlet("昌吉日报").name == "州级新闻媒体"


def _copy_with(tmp_path: Path, key: str, old: str, new: str) -> Path:
    config = tmp_path / "config"
    shutil.copytree(BUNDLED_CONFIG / "orgs" / key, config / "orgs" / key)
    path = config / "orgs" / key / "scoring.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return config


def test_misspelt_key_is_rejected_with_its_name(tmp_path: Path) -> None:
    config = _copy_with(tmp_path, "B", "per_missing = -10", "per_mising = -10")
    with pytest.raises(ConfigError, match="per_mising"):
        load_ruleset(config, "B")


def test_unknown_policy_is_rejected(tmp_path: Path) -> None:
    config = _copy_with(tmp_path, "B", 'policy = "cumulative"', 'policy = "average"')
    with pytest.raises(ConfigError, match="average"):
        load_ruleset(config, "B")


def test_outlet_in_undeclared_group_is_rejected(tmp_path: Path) -> None:
    config = _copy_with(tmp_path, "D", 'group = "政务"\nlevel = "县"', 'group = "新闻"\nlevel = "县"')
    with pytest.raises(ConfigError, match="新闻"):
        load_ruleset(config, "D")


def test_extra_naming_unknown_outlet_is_rejected(tmp_path: Path) -> None:
    config = _copy_with(tmp_path, "A", 'also_outlet = "州局工作简报"', 'also_outlet = "州局周报"')
    with pytest.raises(ConfigError, match="州局周报"):
        load_ruleset(config, "A")


def test_adjustment_kind_with_points_and_percent_is_rejected(tmp_path: Path) -> None:
    config = _copy_with(tmp_path, "B", "percent = -20", "percent = -20\npoints = -5")
    with pytest.raises(ConfigError, match="points 或 percent"):
        load_ruleset(config, "B")


def test_a_file_can_extend_another_organisation(tmp_path: Path) -> None:
    config = tmp_path / "config"
    shutil.copytree(BUNDLED_CONFIG / "orgs" / "A", config / "orgs" / "A")
    (config / "orgs" / "X").mkdir()
    (config / "orgs" / "X" / "scoring.toml").write_text(
        'extends = "A"\n[organisation]\nproof_deadline_day = 20\n', encoding="utf-8"
    )
    rules = load_ruleset(config, "X")
    assert (rules.proof_deadline_day, rules.name) == (20, "昌吉州生态环境局")
