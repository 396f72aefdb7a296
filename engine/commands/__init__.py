"""The `mou` command's subcommands: the click layer, one module per family of commands.

Stage: cli, the last. May import anything in `mou`; nothing in `mou` imports
it but the top-level `cli.py` (the `mou` command), which gathers these
commands into one group. Each command parses its options, calls the library,
and prints: results on stdout, diagnostics on stderr, always through
`mou.tools.command.finish`, which gives every ending its exit code. The
library itself is imported inside the commands, so that `mou --help` and
`mou --version` load none of it.

    common.py     the options every family shares, and printing
    completion.py shell completion of --interpret, --set and --vary
    questions.py  `mou ask QUESTION`: one subcommand per question of the rule set
    checking.py   `mou check`, `mou test`
    analysis.py   `mou whatif`, `mou robust`, `mou sweep`
    texts.py      `mou text`, `mou lint`, `mou schema`
    report.py     `mou report`: one self-contained page (or a memo) per scenario
"""
