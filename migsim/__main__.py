"""``python -m migsim``: the same as the ``migsim`` command."""

from migsim._cli import main

raise SystemExit(main())
