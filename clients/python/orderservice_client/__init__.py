"""Python client helpers for orderservice.v1 (see clients/README.md).

The generated modules (clients/python/gen) import ``orderservice.v1`` and ``google.rpc``
as top-level packages, so importing this package puts ``gen`` on ``sys.path`` first;
nothing has to be installed with pip. ``google`` is a namespace package: Debian's
``google.protobuf`` and the generated ``google.rpc``/``google.api``/``google.type``
import side by side.
"""

import os
import sys

GEN_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "gen")
if GEN_DIR not in sys.path:
    sys.path.insert(0, GEN_DIR)

from .connection import Connection, connect  # noqa: E402
from .cursor_store import CursorStore, FileCursorStore, MemoryCursorStore  # noqa: E402
from .errors import (  # noqa: E402
    ErrorDetails,
    ErrorInfo,
    FieldViolation,
    PreconditionViolation,
    decode_error,
    decode_status,
)
from .retry import RETRYABLE_CODES, call_with_retry  # noqa: E402
from .subscriber import (  # noqa: E402
    FATAL_CODES,
    RECONNECT_CODES,
    START_CURSOR_HEADER,
    RecentIds,
    Subscription,
    SubscriptionError,
    subscribe,
)

__all__ = [
    "GEN_DIR",
    "Connection",
    "connect",
    "CursorStore",
    "FileCursorStore",
    "MemoryCursorStore",
    "ErrorDetails",
    "ErrorInfo",
    "FieldViolation",
    "PreconditionViolation",
    "decode_error",
    "decode_status",
    "RETRYABLE_CODES",
    "call_with_retry",
    "FATAL_CODES",
    "RECONNECT_CODES",
    "START_CURSOR_HEADER",
    "RecentIds",
    "Subscription",
    "SubscriptionError",
    "subscribe",
]
