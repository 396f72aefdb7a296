"""The fast evaluator of answers: the rule set compiled a second time, two-valued, and a lean replay.

Stage: evaluation. `expressions` (with `operators` and `functions`) compiles
each clause expression again from its syntax tree (`language.recompile`), in
the scopes the clause compiler used, into closures that give a known value or
raise `Fallback`; `steps` makes each rule's step of those closures, which runs
a firing three-valued where it meets an unknown, so the facts a step leaves
are the three-valued replay's; `program` holds a rule set's steps by trigger
and its questions. `lean.LeanReplay` runs the steps of each trigger from a
table, on the usual state read value by value (`facts.Facts`), with a
horizon that looks only where dates can be (`horizon.Walk`); a timeline whose
watched dates keep coming round is left to `FastReplay`, which steps through
their cycles as the three-valued replay does. `mou.answers.fast` answers a
scenario with it, and gives `FALLBACK` where the three-valued evaluator must
answer instead.

May import what the rest of `evaluation` may: `mou.errors`, `mou.dates`,
`mou.values` and the clause language.
"""

from .expressions import Failure, Fallback, TwoValued, known
from .lean import LeanReplay, Unusual
from .program import FastProgram, FastReplay, program

__all__ = ["Failure", "Fallback", "TwoValued", "known", "FastProgram", "FastReplay", "LeanReplay", "Unusual",
           "program"]
