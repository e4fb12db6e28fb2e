"""baosong (报送): government information submission intake and bookkeeping."""

from pathlib import Path

__version__ = "0.1.0"

SOURCE_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_CONFIG = SOURCE_ROOT / "config"
