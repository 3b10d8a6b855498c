"""``python -m villagesite``."""

from .cli import run

run()
