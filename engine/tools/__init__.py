"""Tools built on the engine: for analysts, CI pipelines and clause authors.

- `sweep`: many variants of one scenario, streamed as rows;
- `strategies` (public as `mou.testing`) and `proptest`: generated scenarios,
  and the search for counterexamples to the clause files' properties;
- `pytest_plugin`: scenario files as pytest items;
- `lint` and `signed_text`: static checks of clause files against the signed text;
- `schemas`: JSON Schemas for editors;
- `terminal`: the CLI's output with control characters escaped.
- `command`: how a `mou` command ends (exit codes, failed output, broken
  pipes, Ctrl-C and SIGTERM) and its `-o` files, written atomically.
- `report`: self-contained report pages (`mou report`, and the `--html`
  pages of `robust` and `sweep`), with Jinja2 templates as package data.

May import: everything below it, including the public API (`mou.api`).
Nothing imports tools except the CLI and users.
"""
