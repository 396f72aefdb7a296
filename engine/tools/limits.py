"""The tools' limits, in a module of their own so that the command line can show them without loading the tools.

Stage: tools. Imports nothing.
"""

MAX_VALUES = 10_000_000
"""A `--vary` range stops after this many values."""

MAX_VARIANTS = 100_000_000
"""A sweep with more variants than this is refused unless the caller raises the limit (`--max-variants`)."""
