"""Run the command line as `python -m imvo`."""

from imvo.cli import main

main()
