"""Entry script of the frozen application (see annotation-workbench.spec)."""

import sys

from workbench.cli.launcher import app_main

if __name__ == "__main__":
    sys.exit(app_main())
