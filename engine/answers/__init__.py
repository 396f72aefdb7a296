"""Answers: questions answered from a replay, explained, checked and compared.

In pipeline order: `questions` evaluates a question's answer on a finished
replay; `case` holds a scenario under a reading and its variants, and makes
an answer `unknown` only when the missing facts could change it, and can
stand as of a day (`Case.as_of`: no later event); `explain` says why (with
`summary` for the question in words, the answer and its decisive reason,
`reasons`, `facts`, `assumptions` for the defaults and choices that decided
it, `consolidated` for the text as in force, `counterfactuals` and `acts`
for what would change the answer, `steps` for the full trace) and `render`
writes it as text or Markdown; `shown` builds what `check`'s JSON shows of
an answer that needs only its summary; `check` compares answers
with the `expect` of a scenario file and `output` prints the results;
`properties` judges the invariants and symmetries of the clause files;
`analysis` compares readings (`whatif`, `robust`).

May import: everything below it (`mou.errors`, `mou.dates`, `mou.values`, the
clause language, scenario files, evaluation). Nothing of tools or the CLI.
"""
