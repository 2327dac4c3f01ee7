"""Run Briefapp with ``python -m briefapp``."""

import sys

from briefapp.cli import main

sys.exit(main())
