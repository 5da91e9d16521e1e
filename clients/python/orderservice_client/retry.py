"""Retrying a mutating call with the same message, hence the same request_id (AIP-155)."""

import random
import time
import uuid

import grpc

# The server answers a repeat of a request_id with the first answer, so these are safe
# to retry with the same message: the call may have done its work before it failed.
RETRYABLE_CODES = frozenset({
    grpc.StatusCode.UNAVAILABLE,
    grpc.StatusCode.DEADLINE_EXCEEDED,
    grpc.StatusCode.ABORTED,
})


def ensure_request_id(request):
    """Sets a fresh UUID as ``request.request_id`` when the message has that field and it
    is empty; returns the request_id (or None for a message without one)."""
    if "request_id" not in request.DESCRIPTOR.fields_by_name:
        return None
    if not request.request_id:
        request.request_id = str(uuid.uuid4())
    return request.request_id


def call_with_retry(method, request, *, attempts=5, timeout=10.0, metadata=None,
                    wait_for_ready=True, initial_backoff=0.1, max_backoff=5.0,
                    retry_codes=RETRYABLE_CODES, sleep=time.sleep):
    """Calls ``method(request)`` (a unary stub method, such as ``conn.orders.CreateOrder``)
    and retries UNAVAILABLE, DEADLINE_EXCEEDED and ABORTED with the very same message.

    An empty ``request_id`` is set to a fresh UUID on ``request`` itself before the first
    attempt, so the caller can see it and every attempt carries it. ``timeout`` is per
    attempt (seconds, None for none). With ``wait_for_ready`` (the default) an attempt
    made while the server is unreachable waits for it, up to ``timeout``, rather than
    failing at once: gRPC Python reconnects promptly only while a call waits. Between
    attempts it sleeps 100 ms doubling up to ``max_backoff``, with jitter. The last error
    is raised when every attempt failed, and any other error at once.
    """
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    ensure_request_id(request)
    backoff = initial_backoff
    for attempt in range(1, attempts + 1):
        try:
            return method(request, timeout=timeout, metadata=metadata,
                          wait_for_ready=wait_for_ready)
        except grpc.RpcError as error:
            if attempt == attempts or error.code() not in retry_codes:
                raise
        sleep(random.uniform(backoff / 2, backoff))
        backoff = min(backoff * 2, max_backoff)
    raise AssertionError("unreachable")
