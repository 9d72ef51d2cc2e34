"""`make bench` runs this: `python -m bench --size M`."""

import sys

from bench.runner import main

sys.exit(main())
