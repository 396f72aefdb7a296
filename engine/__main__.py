"""`python -m mou …`: the same as the `mou` command."""

from .cli import main

main(prog_name="mou")
