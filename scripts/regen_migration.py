"""Regenerate the initial migration from the models (development only, before the first release).

Run `make migration` after changing a model. Until baosong ships, the schema is one revision.
"""

import tempfile
from pathlib import Path

from alembic import command

from baosong.db import MIGRATIONS, alembic_config, make_engine

for old in (MIGRATIONS / "versions").glob("0001_*.py"):
    old.unlink()
with tempfile.TemporaryDirectory() as tmp:
    engine = make_engine(f"sqlite:///{Path(tmp) / 'empty.db'}")
    command.revision(alembic_config(engine), message="initial schema", autogenerate=True, rev_id="0001_initial")
