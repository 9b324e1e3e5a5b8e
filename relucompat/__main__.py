import sys

from relucompat.cli import main

sys.exit(main())
