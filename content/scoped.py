"""Values that hold for one `with` block, in this thread or task only (context variables)."""

import contextlib


@contextlib.contextmanager
def scoped(variable, value):
    """`variable` holds `value` inside the block, which gets `value`; the value before it comes back after."""
    token = variable.set(value)
    try:
        yield value
    finally:
        variable.reset(token)
