"""The clause language: clause files → a checked, immutable `RuleSet`.

What a clause file is made of, in pipeline order:

- `sources`: files from disk, regular files only and size-capped, and manifest paths kept inside
  the clause directory;
- `yamlio`: strict YAML with the line and column of every node (`yamldoc`: the document and
  the core schema; `yamltree`: plain files composed by libyaml; `yamlevents`: every other file,
  read from the event stream with every problem worded);
- `model`: pydantic models of clause files (validated, not yet compiled);
- `expressions`: `parse(text)` → syntax tree, from `syntax` (the tree), `grammar` (the parser:
  Lark, never `eval`) and `parse_store` (trees kept on disk between runs);
- `types`: static types; `context`: what compiled expressions read at run time;
- `closures`, `operators` and `functions`: type-checking and compiling
  expressions to closures (the tree walk, the operators, the built-ins);
- `vocabulary`, `rules`, `questions`: compiling each part of a clause file;
- `compiler`: the whole corpus → `ruleset.RuleSet`;
- `corpus`: where the shipped clause files are.

May import: `mou.errors`, `mou.dates`, `mou.values`. Nothing of evaluation,
answers or tools: the rule set is compiled before anything runs.
"""
