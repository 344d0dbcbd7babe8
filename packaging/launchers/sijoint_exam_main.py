"""The bundle's entry script: the same command line as `python -m sijoint_exam`.

It lives outside the package so that PyInstaller, which adds an entry script's folder
to its search path, never sees `sijoint_exam/`'s subpackages as top-level modules.
"""

import sys

from sijoint_exam.cli import main

if __name__ == "__main__":
    sys.exit(main())
