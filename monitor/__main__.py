"""`python -m monitor` is the `redline` command."""

from monitor.cli import main

main()
