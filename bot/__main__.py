"""Command line: python -m bot <command>. See `python -m bot --help`."""

from bot.cli import main

raise SystemExit(main())
