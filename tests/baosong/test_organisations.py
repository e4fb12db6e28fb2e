"""Each reference organisation is a configuration that loads: checks, scoring rule set, unit registry."""

import pytest

from baosong import BUNDLED_CONFIG
from baosong.organisation import ConfigError, available_organisations, load_organisation
from baosong.registry import read_sheet
from scoring.ruleset import load_ruleset


def test_the_four_reference_organisations_are_configured():
    assert available_organisations(BUNDLED_CONFIG) == ["A", "B", "C", "D"]


@pytest.mark.parametrize("key", ["A", "B", "C", "D"])
def test_organisation_units_belong_to_scoring_classes(key):
    organisation = load_organisation(BUNDLED_CONFIG, key)
    ruleset = load_ruleset(BUNDLED_CONFIG, key)
    units = read_sheet(organisation.units_csv)
    assert units
    for unit in units:
        assert ruleset.unit_class(ruleset.class_of(unit.name, unit.category)) is not None, unit


@pytest.mark.parametrize("key", ["A", "B", "C", "D"])
def test_each_organisation_reads_only_the_shared_base_never_another_organisation(key):
    text = (BUNDLED_CONFIG / "orgs" / key / "checks.toml").read_text(encoding="utf-8")
    assert 'extends = "shared-checks.toml"' in text


@pytest.mark.parametrize(
    ("key", "disabled"),
    [
        ("A", {"STALE_EVENT"}),
        ("B", {"PHOTO_IN_BODY", "PHOTO_TOO_SMALL", "PHOTO_NAME_UNDESCRIBED", "VAGUE_WORDING", "MULTIPLE_ITEMS",
               "FILENAME_FORMAT", "NO_EXPLICIT_DATE", "STALE_EVENT", "INVALID_PHONE"}),
        ("C", {"PHOTO_IN_BODY", "PHOTO_TOO_SMALL", "PHOTO_NAME_UNDESCRIBED", "VAGUE_WORDING", "MULTIPLE_ITEMS",
               "FILENAME_FORMAT", "NO_EXPLICIT_DATE"}),
        ("D", {"PHOTO_IN_BODY", "PHOTO_TOO_SMALL", "PHOTO_NAME_UNDESCRIBED", "VAGUE_WORDING", "MULTIPLE_ITEMS",
               "INVALID_PHONE"}),
    ],
)
def test_a_rule_the_document_does_not_ask_for_is_off(key, disabled):
    assert load_organisation(BUNDLED_CONFIG, key).checks.disabled == disabled


def test_unknown_organisation_is_refused_naming_the_choices():
    with pytest.raises(ConfigError, match="没有名为「Z」的规则集.*可选：A、B、C、D"):
        load_organisation(BUNDLED_CONFIG, "Z")


@pytest.mark.parametrize(
    ("key", "classes"),
    [
        # A: 考核对象 and 附件2 (with 州节能减排监督管理局, which the 考核办法 names beside the centres)
        ("A", {"县市环保局": 7, "园区环保局": 3, "局机关科室": 7, "直属单位": 4}),
        ("B", {"一类信息网点": 13, "二类信息网点": 14, "三类信息网点": 15, "四类信息网点": 5}),  # "一类信息网点（13个）"…
        ("C", {"县市": 7, "园区": 3, "州直重点部门": 38, "州直非重点部门": 27}),  # "重点部门(38个)"、"非重点部门(27个)"
    ],
)
def test_each_registry_lists_every_unit_its_document_names(key, classes):
    organisation, ruleset = load_organisation(BUNDLED_CONFIG, key), load_ruleset(BUNDLED_CONFIG, key)
    counted: dict[str, int] = {}
    for unit in read_sheet(organisation.units_csv):
        name = ruleset.class_of(unit.name, unit.category)
        counted[name] = counted.get(name, 0) + 1
    assert counted == classes


def test_a_energy_saving_bureau_sends_six_a_month_for_250_points():
    # "州节能减排监督管理局……每月报送信息不得少于6篇，全年信息量化考核分不少于250分"
    ruleset = load_ruleset(BUNDLED_CONFIG, "A")
    unit = next(u for u in read_sheet(load_organisation(BUNDLED_CONFIG, "A").units_csv) if "节能减排" in u.name)
    class_name = ruleset.class_of(unit.name, unit.category)
    monthly = [q.count for q in ruleset.quotas_for(unit.name, class_name) if q.label == "每月报送政务信息"]
    assert (monthly, ruleset.targets_for(unit.name, class_name)) == ([6], {"政务": 250, "新闻": 80})
