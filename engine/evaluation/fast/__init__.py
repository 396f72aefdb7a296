"""The fast evaluator of answers: the rule set compiled a second time, two-valued.

Stage: evaluation. `expressions` compiles each clause expression again from
its syntax tree (`language.recompile`), in the scopes the clause compiler
used, into closures that give a known value or raise `Fallback`; `program`
makes the rules' steps and the questions of those closures, and `FastReplay`
runs the steps on the usual `State`, so the facts it leaves are the facts the
three-valued replay leaves. `mou.answers.fast` answers a scenario with it,
and gives `FALLBACK` where the three-valued evaluator must answer instead.

May import what the rest of `evaluation` may: `mou.errors`, `mou.dates`,
`mou.values` and the clause language.
"""

from .expressions import Failure, Fallback, TwoValued, known
from .program import FastProgram, FastReplay, program

__all__ = ["Failure", "Fallback", "TwoValued", "known", "FastProgram", "FastReplay", "program"]
