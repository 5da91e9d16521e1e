"""The resumable subscriber of clients/README.md ("The resumable subscriber").

    store = FileCursorStore("seller.cursor")
    with subscribe(conn.notifications, SubscribeRequest(order_ids=[...]), store) as notices:
        for notice in notices:      # a Notification; heartbeats are handled inside
            handle(notice)          # its cursor is saved when the loop asks for the next

Each notification_id reaches the application once (a bounded set of recent ids); a
notice's cursor is saved only once the application has processed it, so delivery is at
least once across a crash of the application and exactly once otherwise.
"""

import collections
import random
import threading
from typing import Iterator, Optional

import grpc

from orderservice.v1 import notification_service_pb2

from .cursor_store import CursorStore
from .errors import ErrorDetails, decode_error

START_CURSOR_HEADER = "orderservice-start-cursor"

# Reconnect from the stored cursor after a backoff. CANCELLED counts only when the
# application did not ask for it; a clean end of the stream reconnects too.
RECONNECT_CODES = frozenset({
    grpc.StatusCode.UNAVAILABLE,          # SERVER_SHUTTING_DOWN, connection refused
    grpc.StatusCode.RESOURCE_EXHAUSTED,   # SUBSCRIBER_TOO_SLOW
    grpc.StatusCode.INTERNAL,             # a reset stream (RST_STREAM), without an ErrorInfo
    grpc.StatusCode.CANCELLED,
    grpc.StatusCode.DEADLINE_EXCEEDED,
})

# Retrying cannot help: raised to the application as SubscriptionError. Any other code
# that is not in RECONNECT_CODES is raised too.
FATAL_CODES = frozenset({
    grpc.StatusCode.OUT_OF_RANGE,         # CURSOR_PRUNED, CURSOR_AHEAD_OF_LOG
    grpc.StatusCode.UNAUTHENTICATED,
    grpc.StatusCode.PERMISSION_DENIED,
    grpc.StatusCode.INVALID_ARGUMENT,
})


class SubscriptionError(Exception):
    """A subscription refused or ended for good. ``details`` is the decoded status: for
    OUT_OF_RANGE, ``details.metadata`` has ``oldest_resume_after`` (CURSOR_PRUNED) or
    ``newest_cursor`` (CURSOR_AHEAD_OF_LOG): reconcile with ListOrders, then resume there."""

    def __init__(self, details: ErrorDetails):
        self.details = details
        self.code = details.code
        self.reason = details.reason
        super().__init__(f"{details.code.name} {details.reason or ''}: {details.message}".replace(" :", ":"))


class RecentIds:
    """A bounded set of the most recent ids: ``add`` says whether an id is new."""

    def __init__(self, capacity: int = 10000):
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self._ids = collections.OrderedDict()

    def add(self, item: str) -> bool:
        if item in self._ids:
            self._ids.move_to_end(item)
            return False
        self._ids[item] = None
        if len(self._ids) > self.capacity:
            self._ids.popitem(last=False)
        return True

    def __contains__(self, item) -> bool:
        return item in self._ids

    def __len__(self) -> int:
        return len(self._ids)


def _initial_metadata(call):
    """The call's response headers, or None when the call ended without any.

    grpcio's ``initial_metadata()`` waits for the headers only, and grpcio 1.51 can end a
    call without ever completing them: a Subscribe opened on a connection the server is
    closing (a restart) gets its UNAVAILABLE status while its headers never come, and
    ``initial_metadata()`` then waits forever (even ``cancel()`` does not wake it). So
    wait on the call's own state for the headers *or* the end of the call. That state is
    private to grpcio; a call without it falls back to ``initial_metadata()``.
    """
    state = getattr(call, "_state", None)
    condition = getattr(state, "condition", None)
    if condition is None or not hasattr(state, "initial_metadata") or not hasattr(state, "code"):
        return call.initial_metadata()
    with condition:
        while state.initial_metadata is None and state.code is None:
            condition.wait(0.1)
        return state.initial_metadata


def _header(metadata, key) -> Optional[str]:
    for k, v in metadata or ():
        if k == key:
            return v
    return None


class _Subscriber:
    """The state and the algorithm. The generator's frame refers to this object, never to
    the Subscription around it, so dropping a Subscription closes its generator (and
    cancels its call) at once rather than at the next garbage collection."""

    def __init__(self, stub, request, store, stop, metadata, call_timeout,
                 initial_backoff, max_backoff, recent_ids):
        self.stub = stub
        self.request = request
        self.store = store
        self.metadata = metadata
        self.call_timeout = call_timeout
        self.initial_backoff = initial_backoff
        self.max_backoff = max_backoff
        self.recent = RecentIds(recent_ids)
        self.watch_stop = stop is not None
        self.stop = stop if stop is not None else threading.Event()
        self.lock = threading.Lock()
        self.call = None
        self.finished = threading.Event()
        self.connects = 0
        self.reconnects = 0
        self.end_codes = collections.Counter()
        self.last_error = None
        self.delivered = 0
        self.duplicates_skipped = 0

    def cancel(self):
        self.stop.set()
        with self.lock:
            call = self.call
        if call is not None:
            call.cancel()

    def start_call(self, request):
        with self.lock:
            if self.stop.is_set():
                return None
            # wait_for_ready: while the server is down (a restart), the call waits for the
            # channel to connect instead of failing at once. gRPC Python polls a channel
            # only while a call waits on it, so a fail-fast call made during the outage
            # keeps failing until gRPC's 5-second backup poller notices the server is back.
            self.call = self.stub.Subscribe(request, timeout=self.call_timeout,
                                            metadata=self.metadata, wait_for_ready=True)
            return self.call

    def watch(self):
        # Only when the application passed its own stop event: turn it into a cancel.
        while not self.finished.is_set():
            if self.stop.wait(0.2):
                self.cancel()
                return

    def run(self):
        if self.watch_stop:
            threading.Thread(target=self.watch, name="subscription-stop", daemon=True).start()
        backoff = self.initial_backoff
        try:
            while not self.stop.is_set():
                # 1. resume after the stored cursor (none: from now).
                request = type(self.request)()
                request.CopyFrom(self.request)
                request.resume_after = self.store.load() or ""
                call = self.start_call(request)
                if call is None:
                    return
                try:
                    # 2. the subscription is in place once the headers arrive.
                    start = _header(_initial_metadata(call), START_CURSOR_HEADER)
                    if start:
                        self.connects += 1
                        if self.store.load() is None:
                            self.store.save(start)
                    for response in call:
                        backoff = self.initial_backoff
                        kind = response.WhichOneof("kind")
                        if kind == "notification":
                            notice = response.notification
                            # 3. each notification_id once; cursor saved once processed.
                            if self.recent.add(notice.notification_id):
                                self.delivered += 1
                                yield notice
                                if self.stop.is_set():
                                    return  # 7. stopped while processing: store nothing
                            else:
                                self.duplicates_skipped += 1
                            if notice.cursor:
                                self.store.save(notice.cursor)
                        elif kind == "heartbeat":
                            # 4. a heartbeat moves a quiet subscriber along.
                            if response.heartbeat.cursor:
                                self.store.save(response.heartbeat.cursor)
                    self.end_codes[grpc.StatusCode.OK] += 1
                except grpc.RpcError as error:
                    if self.stop.is_set():
                        return  # 7. the application's own cancel
                    details = decode_error(error)
                    self.end_codes[details.code] += 1
                    self.last_error = details
                    # The server's own INTERNAL carries an ErrorInfo (with an incident id): a
                    # fault of the server, reported rather than retried forever. A reset
                    # stream's INTERNAL has none.
                    server_fault = details.code == grpc.StatusCode.INTERNAL and details.error_info is not None
                    if details.code not in RECONNECT_CODES or server_fault:
                        # 6. retrying cannot help (FATAL_CODES, and anything unexpected).
                        raise SubscriptionError(details) from error
                finally:
                    with self.lock:
                        self.call = None
                    call.cancel()
                # 5. reconnect after a backoff with jitter; the stop event cuts it short.
                self.reconnects += 1
                if self.stop.wait(random.uniform(backoff / 2, backoff)):
                    return
                backoff = min(backoff * 2, self.max_backoff)
        finally:
            self.finished.set()


class Subscription(Iterator[notification_service_pb2.Notification]):
    """An iterator of notices that keeps its place in ``store`` and reconnects by itself.

    Stop it with ``close()`` (from the consuming thread, or by leaving a ``with`` block,
    or by dropping it), or with ``cancel()`` / setting the ``stop`` event from any thread:
    the call is cancelled, the iteration ends and nothing more is stored (the notice being
    processed is handed over again next time). A refusal that retrying cannot help raises
    SubscriptionError from the iteration.

    Counters for monitoring: ``connects`` (subscriptions in place: headers received),
    ``reconnects``, ``end_codes`` (how streams ended, ``grpc.StatusCode.OK`` for a clean
    end), ``last_error`` (the ErrorDetails of the last failed stream), ``delivered`` and
    ``duplicates_skipped``.
    """

    def __init__(self, stub, request, store: CursorStore, *, stop: Optional[threading.Event] = None,
                 metadata=None, call_timeout: Optional[float] = None,
                 initial_backoff: float = 0.1, max_backoff: float = 5.0,
                 recent_ids: int = 10000):
        self._sub = _Subscriber(stub, request, store, stop, metadata, call_timeout,
                                initial_backoff, max_backoff, recent_ids)
        self._gen = self._sub.run()

    def __iter__(self):
        return self

    def __next__(self) -> notification_service_pb2.Notification:
        return next(self._gen)

    def cancel(self) -> None:
        """Stops from any thread: cancels the current call; the iteration ends."""
        self._sub.cancel()

    def close(self) -> None:
        """Stops and releases the call (a generator's ``close``)."""
        self._sub.cancel()
        try:
            self._gen.close()
        except ValueError:
            pass  # running in another thread: the cancelled call ends it there

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    connects = property(lambda self: self._sub.connects)
    reconnects = property(lambda self: self._sub.reconnects)
    end_codes = property(lambda self: collections.Counter(self._sub.end_codes))
    last_error = property(lambda self: self._sub.last_error)
    delivered = property(lambda self: self._sub.delivered)
    duplicates_skipped = property(lambda self: self._sub.duplicates_skipped)


def subscribe(stub, request, store: CursorStore, **options) -> Subscription:
    """The resumable subscriber: ``stub`` is a NotificationServiceStub (or a Connection),
    ``request`` a SubscribeRequest (``types``, ``order_ids``; its ``resume_after`` is
    replaced by the store's cursor), ``store`` a CursorStore. Options: ``stop`` (a
    threading.Event), ``metadata``, ``call_timeout`` (seconds a stream may live before it
    is recycled; default none), ``initial_backoff``, ``max_backoff``, ``recent_ids`` (how
    many notification ids are remembered for de-duplication). See Subscription."""
    stub = getattr(stub, "notifications", stub)
    return Subscription(stub, request, store, **options)
