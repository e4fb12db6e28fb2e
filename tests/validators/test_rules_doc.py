"""docs/rules.md is generated from the catalogue and kept current."""

from scripts.render_rules_doc import TARGET, render


def test_rules_page_matches_the_catalogue():
    assert TARGET.read_text(encoding="utf-8") == render(), "run `make docs` to regenerate docs/rules.md"
