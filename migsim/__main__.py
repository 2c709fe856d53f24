"""``python -m migsim``: the same as the ``migsim`` command."""

from migsim.cli import main

raise SystemExit(main())
