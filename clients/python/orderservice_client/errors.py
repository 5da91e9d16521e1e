"""Decoded error details: the google.rpc.Status the server sends in the trailer.

There is no grpcio-status package on Debian, so the ``grpc-status-details-bin`` trailer is
parsed here with the generated ``google/rpc`` modules.
"""

from dataclasses import dataclass, field
from typing import Dict, Optional, Tuple

import grpc

from google.rpc import error_details_pb2, status_pb2

STATUS_DETAILS_KEY = "grpc-status-details-bin"

_CODES_BY_NUMBER = {code.value[0]: code for code in grpc.StatusCode}


@dataclass(frozen=True)
class ErrorInfo:
    """google.rpc.ErrorInfo: branch on ``reason`` (UPPER_SNAKE), not on the message."""

    reason: str
    domain: str
    metadata: Dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class FieldViolation:
    """One google.rpc.BadRequest field violation: ``field`` is a proto path such as
    ``items[0].quantity``."""

    field: str
    description: str
    reason: str = ""


@dataclass(frozen=True)
class PreconditionViolation:
    """One google.rpc.PreconditionFailure violation: ``type`` is the reason, ``subject``
    the field at fault or ``order``."""

    type: str
    subject: str
    description: str


@dataclass(frozen=True)
class ErrorDetails:
    """What a failed call said: status code, message and the decoded details."""

    code: grpc.StatusCode
    message: str
    error_info: Optional[ErrorInfo] = None
    field_violations: Tuple[FieldViolation, ...] = ()
    precondition_violations: Tuple[PreconditionViolation, ...] = ()

    @property
    def reason(self) -> Optional[str]:
        """The ErrorInfo reason, or None (statuses made by gRPC itself carry none)."""
        return self.error_info.reason if self.error_info else None

    @property
    def metadata(self) -> Dict[str, str]:
        """The ErrorInfo metadata (empty without an ErrorInfo)."""
        return dict(self.error_info.metadata) if self.error_info else {}

    @property
    def fields(self) -> Tuple[str, ...]:
        """The fields the BadRequest names."""
        return tuple(v.field for v in self.field_violations)


def decode_status(status: status_pb2.Status, code: Optional[grpc.StatusCode] = None) -> ErrorDetails:
    """Decodes a google.rpc.Status (a call's trailer, or a feed line's ``status``).

    ``code`` overrides the status's own code (a call's code is authoritative).
    """
    error_info = None
    violations = []
    preconditions = []
    for any_detail in status.details:
        if any_detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            any_detail.Unpack(info)
            error_info = ErrorInfo(info.reason, info.domain, dict(info.metadata))
        elif any_detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            any_detail.Unpack(bad)
            violations.extend(
                FieldViolation(v.field, v.description, getattr(v, "reason", ""))
                for v in bad.field_violations
            )
        elif any_detail.Is(error_details_pb2.PreconditionFailure.DESCRIPTOR):
            failure = error_details_pb2.PreconditionFailure()
            any_detail.Unpack(failure)
            preconditions.extend(
                PreconditionViolation(v.type, v.subject, v.description) for v in failure.violations
            )
    if code is None:
        code = _CODES_BY_NUMBER.get(status.code, grpc.StatusCode.UNKNOWN)
    return ErrorDetails(code, status.message, error_info, tuple(violations), tuple(preconditions))


def decode_error(rpc_error: grpc.RpcError) -> ErrorDetails:
    """Decodes a failed call's ``grpc.RpcError`` (which is also a ``grpc.Call``).

    A status made by the gRPC library itself (CANCELLED, DEADLINE_EXCEEDED, a refused
    connection) has no details: only ``code`` and ``message`` are set.
    """
    code = rpc_error.code() if hasattr(rpc_error, "code") else grpc.StatusCode.UNKNOWN
    message = (rpc_error.details() if hasattr(rpc_error, "details") else None) or ""
    trailers = rpc_error.trailing_metadata() if hasattr(rpc_error, "trailing_metadata") else None
    for key, value in trailers or ():
        if key == STATUS_DETAILS_KEY:
            status = status_pb2.Status.FromString(value)
            details = decode_status(status, code)
            # The call's message is the one the application saw; keep it.
            return ErrorDetails(code, message or details.message, details.error_info,
                                details.field_violations, details.precondition_violations)
    return ErrorDetails(code, message)
