package orderservice

import (
	"context"
	"errors"
	"fmt"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Error is a failed call with its google.rpc.Status details decoded. Every error of the
// service carries an ErrorInfo (domain "orderservice", an UPPER_SNAKE reason, metadata);
// INVALID_ARGUMENT and ALREADY_EXISTS also a BadRequest, FAILED_PRECONDITION a
// PreconditionFailure. Statuses made by the gRPC library itself (CANCELED,
// DEADLINE_EXCEEDED, UNAVAILABLE while the server is down) carry none: the fields are nil.
type Error struct {
	Code                codes.Code
	Message             string
	ErrorInfo           *errdetails.ErrorInfo
	BadRequest          *errdetails.BadRequest
	PreconditionFailure *errdetails.PreconditionFailure
	// Err is the error as the call returned it.
	Err error
}

// DecodeError decodes err, as returned by a call of this package or of the generated
// stubs. nil for nil; an error that is not a gRPC status (an *Error already, or one
// wrapping a status) is decoded as far as it goes: code UNKNOWN with its text otherwise.
func DecodeError(err error) *Error {
	if err == nil {
		return nil
	}
	var decoded *Error
	if errors.As(err, &decoded) {
		return decoded
	}
	var withStatus interface{ GRPCStatus() *status.Status }
	st, ok := status.FromError(err)
	if !ok {
		if errors.As(err, &withStatus) {
			st = withStatus.GRPCStatus()
		} else if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			st = status.FromContextError(err)
		}
	}
	e := &Error{Code: st.Code(), Message: st.Message(), Err: err}
	for _, detail := range st.Details() {
		switch d := detail.(type) {
		case *errdetails.ErrorInfo:
			e.ErrorInfo = d
		case *errdetails.BadRequest:
			e.BadRequest = d
		case *errdetails.PreconditionFailure:
			e.PreconditionFailure = d
		}
	}
	return e
}

// Error implements error: "INVALID_ARGUMENT INVALID_FIELD: message".
func (e *Error) Error() string {
	if reason := e.Reason(); reason != "" {
		return fmt.Sprintf("%s %s: %s", codeName(e.Code), reason, e.Message)
	}
	return fmt.Sprintf("%s: %s", codeName(e.Code), e.Message)
}

// Unwrap returns the error as the call returned it.
func (e *Error) Unwrap() error { return e.Err }

// GRPCStatus lets status.FromError and status.Code read an *Error.
func (e *Error) GRPCStatus() *status.Status {
	if st, ok := status.FromError(e.Err); ok && st.Code() == e.Code {
		return st
	}
	return status.New(e.Code, e.Message)
}

// Reason is the ErrorInfo reason, "" without an ErrorInfo.
func (e *Error) Reason() string { return e.ErrorInfo.GetReason() }

// Metadata is the ErrorInfo metadata value of key ("" when absent), such as
// "resume_after", "oldest_resume_after", "order_status" or "field".
func (e *Error) Metadata(key string) string { return e.ErrorInfo.GetMetadata()[key] }

// FieldViolation is the BadRequest violation naming field (a proto path such as
// "items[0].quantity"), nil when there is none.
func (e *Error) FieldViolation(field string) *errdetails.BadRequest_FieldViolation {
	for _, v := range e.BadRequest.GetFieldViolations() {
		if v.GetField() == field {
			return v
		}
	}
	return nil
}

// codeName is the canonical name of a code, as in the protos' comments.
func codeName(c codes.Code) string {
	switch c {
	case codes.OK:
		return "OK"
	case codes.Canceled:
		return "CANCELLED"
	case codes.Unknown:
		return "UNKNOWN"
	case codes.InvalidArgument:
		return "INVALID_ARGUMENT"
	case codes.DeadlineExceeded:
		return "DEADLINE_EXCEEDED"
	case codes.NotFound:
		return "NOT_FOUND"
	case codes.AlreadyExists:
		return "ALREADY_EXISTS"
	case codes.PermissionDenied:
		return "PERMISSION_DENIED"
	case codes.ResourceExhausted:
		return "RESOURCE_EXHAUSTED"
	case codes.FailedPrecondition:
		return "FAILED_PRECONDITION"
	case codes.Aborted:
		return "ABORTED"
	case codes.OutOfRange:
		return "OUT_OF_RANGE"
	case codes.Unimplemented:
		return "UNIMPLEMENTED"
	case codes.Internal:
		return "INTERNAL"
	case codes.Unavailable:
		return "UNAVAILABLE"
	case codes.DataLoss:
		return "DATA_LOSS"
	case codes.Unauthenticated:
		return "UNAUTHENTICATED"
	default:
		return c.String()
	}
}
