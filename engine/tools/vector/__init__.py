"""Vectorized sweeps: the replay of many variants at once, as numpy array operations.

- `vec`: vectors of engine values (a value per variant, with none/unknown/failed masks);
- `ordinals`: calendar arithmetic on arrays of day ordinals (the month-end rule);
- `ops`: the language's operators on vectors (three-valued);
- `schema`, `kernels`, `plan`: clause expressions compiled again from their
  source text into functions of vectors, per rule, question and event type;
- `state`, `replay`: facts with masked history, and the replay of a group of
  variants that share the order of their events;
- `block`: a block of a sweep's rows, with the scalar engine for the variants
  the kernels cannot take; `output`: blocks as CSV or JSON Lines text;
- `checks`: the clause files' input checks on varied events;
- `partition`: a sweep as a pure function over partitions of its variants;
- `random_sweeps`: random variations, for the differential test.

Nothing here knows a particular agreement: kernels are built from the
compiled rule set. The scalar engine (`evaluation.replay`) stays the
reference: a differential test compares every row with it.

May import: everything below tools, numpy, `tools.sweep` and `tools.strategies`.
"""
