"""How many backups are kept: constants only, so that the settings can name
them without loading the database layer."""

from __future__ import annotations

DEFAULT_KEEP = 10
"""Daily and manual backups kept per database unless the user sets another
count; older ones are deleted as new ones are made."""
KEEP_RANGE = (1, 100)
"""The fewest and most backups the user may choose to keep."""
ROTATED = ("daily", "manual")
"""The backups that are pruned to the user's count."""
