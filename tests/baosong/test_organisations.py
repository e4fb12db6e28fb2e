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


def test_differences_are_data_extends_merges_over_a():
    a, d = load_organisation(BUNDLED_CONFIG, "A").checks, load_organisation(BUNDLED_CONFIG, "D").checks
    assert (a.stale_after_days, d.stale_after_days) == (0, 2)
    assert str(d.severity["FILENAME_FORMAT"]) == "error"
    assert d.labels == a.labels and d.photo_min_bytes == a.photo_min_bytes


def test_unknown_organisation_is_refused_naming_the_choices():
    with pytest.raises(ConfigError, match="没有名为「Z」的规则集.*可选：A、B、C、D"):
        load_organisation(BUNDLED_CONFIG, "Z")
