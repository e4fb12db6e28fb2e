"""Write docs/rules.md from the rule catalogue and config/messages.toml (run: make docs)."""

from pathlib import Path

from baosong import BUNDLED_CONFIG, SOURCE_ROOT
from validators.catalogue import ALL_RULES, GATES, MAX_FINDINGS_PER_CODE, MORE, load_messages

TARGET = SOURCE_ROOT / "docs" / "rules.md"


def render() -> str:
    messages = load_messages(BUNDLED_CONFIG)
    lines = [
        "# Checks (generated from validators/catalogue.py and config/messages.toml — do not edit)",
        "",
        "Each processed message gets one verdict from all findings: any `ignored` → ignored, else any",
        "`error` → rejected, else any `review` → review, else accepted. Gate checks decide alone.",
        "Organisations override severities in `config/orgs/<key>/checks.toml` `[severity]`.",
        f"A code lists at most its first {MAX_FINDINGS_PER_CODE} findings; one more finding of that code counts the rest",
        f"(the `{MORE}` message: {messages[MORE].message}{messages[MORE].fix}).",
        "",
        "| code | default | what | message to the unit (template) |",
        "|---|---|---|---|",
    ]
    for rule in ALL_RULES:
        template = messages[rule.code]
        gate = " (gate)" if rule in GATES else ""
        text = f"{template.message}{template.fix}".replace("|", "\\|")
        lines.append(f"| `{rule.code}` | {rule.severity}{gate} | {rule.summary} | {text} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET.relative_to(Path.cwd()) if TARGET.is_relative_to(Path.cwd()) else TARGET}")
