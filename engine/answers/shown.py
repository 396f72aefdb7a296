"""What `mou check --format json` shows of an answer that needs no more than its summary, and explanations
made from an explained twin of an answers-only case (issue 32).

Stage: answers. Imports `explain`, `summary`, `case`, `questions` and `mou.values`.

Since schema_version 2, an answer that passes its `expect` (or has none) and
is not `unknown` is shown with its summary alone. `summary_alone` builds it
as `explain.explanation` does (the same case as of the answer's day, the
same decisive reasons) without the trace, the choices weighed, the
paragraphs or the search. `twin_explanation` and `twin_summary` build them
for an answer found without explanations, from an explained twin of its
case replayed no further than they need; a summary the clause files word
whole needs no explained replay at all (`worded_summary`).
"""

from __future__ import annotations

from ..values import Unknown
from .case import Case, Resolution
from .explain import as_known_then, decisive, explanation
from .questions import Answer
from .summary import answer_key, because, summary


def summary_alone(case: Case, found: Answer, resolution: Resolution) -> str:
    """The summary `explanation` gives, built alone: from the same case and the same decisive reasons, without
    the trace, the choices weighed, the paragraphs or the search (what `mou check --format json` shows of an
    answer that needs no more, since schema_version 2)."""
    if isinstance(resolution.value, Unknown):  # its summary names the missing facts that matter: weighed in full
        return explanation(case, found, resolution, search=False)["summary"]
    case, found, resolution = as_known_then(case, found, resolution)
    _, _, reasons = decisive(case, found, resolution)
    return summary(case, found, resolution, reasons, [])  # `missing` is read for an unknown answer only


def twin_explanation(twin: Case, found: Answer, resolution: Resolution, search: bool = True) -> dict:
    """`explanation` of an answer found in an answers-only case, from its explained twin (the same scenario
    under the same reading, `explain=True`), replayed no further than the explanation needs: an answer about a
    day is explained from the twin as of that day, and only one that rests on the whole case replays the
    whole twin, explained. The explanation is the one the twin itself would give."""
    case, found, resolution = _from_twin(twin, found, resolution)
    return explanation(case, found, resolution, search, whole=twin)


def twin_summary(twin: Case, found: Answer, resolution: Resolution, plain: Case | None = None) -> str:
    """`summary_alone`, from an explained twin as `twin_explanation` takes it; from `plain`, the answers-only
    case the answer was found in, where the clause files' words make the summary whole (`worded_summary`)."""
    if isinstance(resolution.value, Unknown):
        return twin_explanation(twin, found, resolution, search=False)["summary"]
    question = found.call.definition
    wordable = resolution.weighed or answer_key(question, resolution.value, question.because) is not None
    said = worded_summary(plain, found, resolution) if plain is not None and wordable else None
    if said is not None:
        return said
    case, found, resolution = _from_twin(twin, found, resolution)
    _, _, reasons = decisive(case, found, resolution)
    return summary(case, found, resolution, reasons, [])


def worded_summary(plain: Case, found: Answer, resolution: Resolution) -> str | None:
    """The summary of a known answer whose words the clause files give whole, else None: its missing facts did
    not matter (it says whichever way they go), or a `because` of its question holds (it says that). Neither
    reads the decisive reasons, so the answers-only case `plain` serves, as of the answer's day as
    `as_known_then` takes it: its plain replay holds the facts the templates read, as an explained one does,
    without the trace (the explained replay and the reasons are then never made)."""
    case, found, resolution = as_known_then(plain, found, resolution)
    if resolution.weighed or because(case.base, found.call, resolution.value, found.as_of):
        return summary(case, found, resolution, [], [])  # `reasons` is read only where neither holds
    return None


def _from_twin(twin: Case, found: Answer, resolution: Resolution) -> tuple[Case, Answer, Resolution]:
    case, found_then, resolution_then = as_known_then(twin, found, resolution)
    if case is twin:  # the answer rests on the whole case: answered there, with the reads it rests on
        found_then, resolution_then = twin.answer(found.call)
    return case, found_then, resolution_then
