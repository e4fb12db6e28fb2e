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
