"""``python -m app`` runs the same command line as ``treatment-returns``."""

import sys

from app.cli import main

sys.exit(main())
