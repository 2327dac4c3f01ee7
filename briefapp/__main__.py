"""Run Briefapp with ``python -m briefapp``."""

import sys

from briefapp.cli import main

if __name__ == "__main__":
    sys.exit(main())
