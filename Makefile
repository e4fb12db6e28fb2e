# Two commands for a newcomer: `make demo` and `make test`. Both build .venv themselves.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install fonts demo test bench migration screenshots docs clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# The 通报 charts need a Chinese font; `baosong report` refuses to draw them without one.
# Debian/Ubuntu: fonts-noto-cjk. Windows and macOS ship Chinese fonts.
fonts:
	@if fc-list :lang=zh family 2>/dev/null | grep -q .; then echo "已安装中文字体。"; \
	else echo "安装中文字体 fonts-noto-cjk（通报图表需要）……"; $(SUDO) apt-get install -y fonts-noto-cjk; fi

demo: $(STAMP)
	$(VENV)/bin/baosong demo

test: $(STAMP)
	bash scripts/with-postgres.sh $(PY) -m pytest -q

bench: $(STAMP)
	$(PY) -m bench

migration: $(STAMP)
	$(PY) scripts/regen_migration.py

screenshots: $(STAMP)
	BAOSONG_WRITE_SCREENSHOTS=1 $(PY) -m pytest -q tests/review/test_browser.py

clean:
	rm -rf $(VENV) data build *.egg-info

docs: $(STAMP)
	$(PY) scripts/render_rules_doc.py
