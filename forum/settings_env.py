"""Reading the environment for the settings: the helpers, and what every
settings module needs first (where the project is, whether this is a test run,
DEBUG)."""

import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
TESTING = "pytest" in sys.modules


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_rate(name: str, default: tuple[int, int]) -> tuple[int, int]:
    """A rate limit as "count/seconds" (RATE_LIMIT_SEARCH=20/60); 0 switches it off."""
    value = os.environ.get(name)
    if not value:
        return default
    count, _, seconds = value.partition("/")
    return int(count), int(seconds or default[1])


DEBUG = env_bool("DEBUG", False)
