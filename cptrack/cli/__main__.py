import sys

from cptrack.cli import main

sys.exit(main())
