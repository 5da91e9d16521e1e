"""A channel that carries the bearer token on every call, and the three service stubs."""

from urllib.parse import urlsplit

import grpc

from orderservice.v1 import (
    notification_service_pb2_grpc,
    order_service_pb2_grpc,
    refund_service_pb2_grpc,
)

# A large cancellation feed's answer exceeds gRPC's 4 MB default (as in the C# client).
MAX_MESSAGE_BYTES = 64 * 1024 * 1024

DEFAULT_OPTIONS = (
    ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
    # Reconnect to a restarted server about as fast as the subscriber's own backoff
    # (100 ms doubling to 5 s) instead of gRPC's default 1 s growing to 120 s. Not
    # grpc.min_reconnect_backoff_ms: it is also the time a connection attempt gets, and a
    # server that takes longer to send its HTTP/2 SETTINGS would never be reached.
    ("grpc.initial_reconnect_backoff_ms", 100),
    ("grpc.max_reconnect_backoff_ms", 5000),
)


class _CallDetails(grpc.ClientCallDetails):
    def __init__(self, details, metadata):
        self.method = details.method
        self.timeout = details.timeout
        self.metadata = metadata
        self.credentials = details.credentials
        self.wait_for_ready = getattr(details, "wait_for_ready", None)
        self.compression = getattr(details, "compression", None)


class _BearerToken(
    grpc.UnaryUnaryClientInterceptor,
    grpc.UnaryStreamClientInterceptor,
    grpc.StreamUnaryClientInterceptor,
    grpc.StreamStreamClientInterceptor,
):
    """Adds ``authorization: Bearer <token>`` to every call's metadata.

    The channel is plaintext h2c, where gRPC refuses call credentials, hence an
    interceptor rather than ``grpc.access_token_call_credentials``.
    """

    def __init__(self, token):
        self._header = ("authorization", "Bearer " + token)

    def _details(self, details):
        metadata = [m for m in (details.metadata or ()) if m[0] != "authorization"]
        metadata.append(self._header)
        return _CallDetails(details, metadata)

    def intercept_unary_unary(self, continuation, details, request):
        return continuation(self._details(details), request)

    def intercept_unary_stream(self, continuation, details, request):
        return continuation(self._details(details), request)

    def intercept_stream_unary(self, continuation, details, request_iterator):
        return continuation(self._details(details), request_iterator)

    def intercept_stream_stream(self, continuation, details, request_iterator):
        return continuation(self._details(details), request_iterator)


def _target(address):
    """``http://host:port`` (as ORDERSERVICE_TEST_URL) or ``host:port``."""
    if "://" not in address:
        return address
    parts = urlsplit(address)
    if parts.scheme != "http":
        raise ValueError(f"only plaintext h2c (http://) is supported, not {address!r}")
    return parts.netloc


class Connection:
    """One channel and the stubs over it. Close it (or use ``with``) when done."""

    def __init__(self, channel):
        self.channel = channel
        self.orders = order_service_pb2_grpc.OrderServiceStub(channel)
        self.refunds = refund_service_pb2_grpc.RefundServiceStub(channel)
        self.notifications = notification_service_pb2_grpc.NotificationServiceStub(channel)

    def close(self):
        self.channel.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def connect(target, token, options=()):
    """A plaintext (h2c) connection to ``target`` that sends ``token`` as a bearer token.

    ``target`` is ``http://127.0.0.1:5080`` or ``127.0.0.1:5080``; ``options`` are extra
    gRPC channel options (name, value), which override the defaults of the same name.
    """
    merged = dict(DEFAULT_OPTIONS)
    merged.update(dict(options))
    channel = grpc.insecure_channel(_target(target), options=list(merged.items()))
    return Connection(grpc.intercept_channel(channel, _BearerToken(token)))
