"""`python -m cadre.cli`: the same command line as `cadre`, for environments without the script on PATH."""

from cadre.cli import main

main()
