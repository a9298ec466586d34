"""`python -m datafast_tui` runs the same entry point as the `datafast-tui` script."""

from datafast_tui.cli import main

raise SystemExit(main())
