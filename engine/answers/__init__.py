"""Answers: questions answered from a replay, explained, checked and compared.

In pipeline order: `questions` evaluates a question's answer on a finished
replay; `explain` says why, as data and as text; `check` compares answers
with the `expect` of a scenario file; `properties` judges the invariants and
symmetries of the clause files; `analysis` compares readings (`whatif`,
`robust`).

May import: everything below it (`mou.errors`, `mou.dates`, `mou.values`, the
clause language, scenario files, evaluation). Nothing of tools or the CLI.
"""
