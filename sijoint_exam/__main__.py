"""`python -m sijoint_exam` runs the command line (no subcommand opens the window)."""

import sys

from sijoint_exam.cli import main

sys.exit(main())
