"""Render docs/replies/rejected.html to docs/screenshots/reply.png in headless Chromium (for the README)."""

from pathlib import Path

from playwright.sync_api import sync_playwright

from baosong import SOURCE_ROOT

SOURCE = SOURCE_ROOT / "docs" / "replies" / "rejected.html"
TARGET = SOURCE_ROOT / "docs" / "screenshots" / "reply.png"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def main() -> Path:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 900, "height": 900})
        page.set_content(SOURCE.read_text(encoding="utf-8"))
        TARGET.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(TARGET), full_page=True)
        browser.close()
    return TARGET


if __name__ == "__main__":
    print(main())
