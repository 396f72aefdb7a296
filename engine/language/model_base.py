"""The building blocks of the clause-file models: strict models, names, expressions, wordings.

Stage: after yamlio. Imports nothing of mou's. `model` and `model_agenda` build on it.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Union

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, StrictBool, StrictInt, StrictStr, \
    WithJsonSchema
from pydantic_core import PydanticCustomError


class Strict(BaseModel):
    """Base: strict types, unknown keys refused, immutable."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


Scalar = Union[StrictBool, StrictInt, StrictStr, None]


def _as_expression(value: Any) -> Any:
    """`true`, `0` or `null` written bare in YAML, as expression text."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return value


def _no_control(value: Any) -> Any:
    """Refuse control characters in a name or title (YAML escapes such as \\e can write them)."""
    if isinstance(value, str):
        control = re.search("[\x00-\x1f\x7f-\x9f]", value)
        if control:
            raise PydanticCustomError("mou", "{what} cannot contain control characters; this one has U+{code} at "
                                             "character {at}", {"what": "a name or title", "at": control.start() + 1,
                                                                 "code": f"{ord(control.group()):04X}"})
    return value


Name = Annotated[StrictStr, AfterValidator(_no_control)]
"""An id, a name or a title: text without control characters."""

Expression = Annotated[StrictStr, BeforeValidator(_as_expression), WithJsonSchema(
    {"type": ["string", "boolean", "integer", "null"],
     "description": "an expression of the clause language (bare true, false, whole numbers and null too)"})]
"""An expression of the clause language (bare true/false/whole numbers/null allowed)."""

Reads = Union[StrictStr, dict[str, StrictStr]]
"""How a fact reads in a sentence: one template with `{value}` (and `{event}`, `{day}`,
or any expression in braces), or one template per value (`"true"`, `"false"`, `none`, an
enum value, `value` for any other)."""

READS = "how the fact reads in an explanation: a template with {value}, or one per value (true, false, none, value)"
AHEAD = ("how the fact reads, as `reads` does, where the facts given make it so only after the day the case is stated "
         "(its `as_of`): not yet a fact but what is to happen (`the MoU is to end …`); `reads` where not given")
