package orderservice

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// NewRequestID returns a random UUID (version 4, RFC 4122) for a request_id.
func NewRequestID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("orderservice: crypto/rand failed: " + err.Error())
	}
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // variant 10
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// EnsureRequestID sets the request_id field of req to a new UUID when req has one and it
// is empty, and returns the request_id ("" for a request without the field, a read).
func EnsureRequestID(req proto.Message) string {
	m := req.ProtoReflect()
	fd := m.Descriptor().Fields().ByName("request_id")
	if fd == nil || fd.Kind() != protoreflect.StringKind || fd.IsList() {
		return ""
	}
	if id := m.Get(fd).String(); id != "" {
		return id
	}
	id := NewRequestID()
	m.Set(fd, protoreflect.ValueOfString(id))
	return id
}

// RetryPolicy says how Call retries. The zero value is DefaultRetryPolicy.
type RetryPolicy struct {
	// Attempts in all, the first included (default 5).
	Attempts int
	// Delay before the second attempt, doubled before each next one up to MaxDelay, with
	// jitter (defaults 100 ms and 2 s).
	InitialDelay, MaxDelay time.Duration
	// PerAttemptTimeout bounds each attempt (0: only ctx bounds them). An attempt that
	// times out is DEADLINE_EXCEEDED and is retried while ctx lasts.
	PerAttemptTimeout time.Duration
}

// DefaultRetryPolicy: 5 attempts, 100 ms doubling to 2 s, no per-attempt timeout.
var DefaultRetryPolicy = RetryPolicy{Attempts: 5, InitialDelay: 100 * time.Millisecond, MaxDelay: 2 * time.Second}

// Retryable says whether a failed call may be retried with the same request:
// UNAVAILABLE, DEADLINE_EXCEEDED and ABORTED. The server answers a repeated request_id
// with its first answer, so a retry of a change that did happen does nothing again.
func Retryable(err error) bool {
	switch DecodeError(err).Code {
	case codes.Unavailable, codes.DeadlineExceeded, codes.Aborted:
		return true
	}
	return false
}

// Call makes a unary call, such as conn.Orders.CreateOrder, and retries it while it fails
// with UNAVAILABLE, DEADLINE_EXCEEDED or ABORTED, always with the same message: a request
// with an empty request_id gets a new UUID first (EnsureRequestID), kept across the
// attempts. An error is returned as an *Error (DecodeError). policy is optional.
//
//	resp, err := orderservice.Call(ctx, req, conn.Orders.CreateOrder)
func Call[Req proto.Message, Resp any](ctx context.Context, req Req,
	call func(context.Context, Req, ...grpc.CallOption) (Resp, error), policy ...RetryPolicy) (Resp, error) {
	p := DefaultRetryPolicy
	if len(policy) > 0 {
		p = policy[0]
		if p.Attempts <= 0 {
			p.Attempts = DefaultRetryPolicy.Attempts
		}
		if p.InitialDelay <= 0 {
			p.InitialDelay = DefaultRetryPolicy.InitialDelay
		}
		if p.MaxDelay <= 0 {
			p.MaxDelay = DefaultRetryPolicy.MaxDelay
		}
	}
	EnsureRequestID(req)
	delay := p.InitialDelay
	for attempt := 1; ; attempt++ {
		resp, err := callOnce(ctx, req, call, p.PerAttemptTimeout)
		if err == nil {
			return resp, nil
		}
		if attempt >= p.Attempts || !Retryable(err) || ctx.Err() != nil {
			return resp, DecodeError(err)
		}
		if sleep(ctx, jitter(delay)) != nil {
			return resp, DecodeError(err)
		}
		if delay *= 2; delay > p.MaxDelay {
			delay = p.MaxDelay
		}
	}
}

func callOnce[Req proto.Message, Resp any](ctx context.Context, req Req,
	call func(context.Context, Req, ...grpc.CallOption) (Resp, error), timeout time.Duration) (Resp, error) {
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	return call(ctx, req)
}

// jitter returns a duration between d/2 and d.
func jitter(d time.Duration) time.Duration {
	if d <= 1 {
		return d
	}
	n, err := rand.Int(rand.Reader, big.NewInt(int64(d/2)+1))
	if err != nil {
		return d
	}
	return d/2 + time.Duration(n.Int64())
}

// sleep waits d or until ctx ends (its error).
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
