package orderservice

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	pb "orderservice/clients/go/gen/orderservice/v1"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"
)

// StartCursorHeader is the response header of Subscribe that names the cursor the stream
// starts after.
const StartCursorHeader = "orderservice-start-cursor"

// ErrSubscriberClosed is what Next returns after Close.
var ErrSubscriberClosed = errors.New("orderservice: subscriber closed")

// StoreError is a failure of the CursorStore; it ends the subscriber.
type StoreError struct{ Err error }

func (e *StoreError) Error() string { return "orderservice: cursor store: " + e.Err.Error() }
func (e *StoreError) Unwrap() error { return e.Err }

// SubscriberOptions tune a Subscriber; the zero value (or nil) takes the defaults.
type SubscriberOptions struct {
	// RecentIDs is how many notification ids handed to the application are remembered to
	// skip a replayed notice (default 10000).
	RecentIDs int
	// Backoff before a reconnect: InitialBackoff (default 100 ms) doubling up to MaxBackoff
	// (default 5 s), with jitter; back to InitialBackoff once a message arrives.
	InitialBackoff, MaxBackoff time.Duration
	// OnReconnect, when set, is called before each reconnect with why the stream ended
	// (io.EOF when it ended without a status) and the delay before the next attempt.
	OnReconnect func(cause error, delay time.Duration)
	// OnDuplicate, when set, is called with each replayed notice that is skipped because
	// its notification_id was already handed to the application.
	OnDuplicate func(n *pb.Notification)
	// CallOptions are passed to every Subscribe call.
	CallOptions []grpc.CallOption
}

// Subscriber is the resumable subscriber of clients/README.md: it hands each notice to
// the application once, keeps its place in a CursorStore, and reconnects across server
// restarts, slow-subscriber and transport failures, resuming from the stored cursor.
//
//	sub := orderservice.NewSubscriber(ctx, conn.Notifications, req, store, nil)
//	defer sub.Close()
//	for {
//		n, err := sub.Next() // stores the cursor of the notice returned before
//		if err != nil {
//			return err
//		}
//		handle(n)
//	}
//
// A notice's cursor is stored when the application asks for the next one (Next), never
// before: delivery is at least once across a crash, exactly once otherwise. Next and
// Close may be called from different goroutines; Next from one at a time.
type Subscriber struct {
	ctx    context.Context
	cancel context.CancelFunc
	client pb.NotificationServiceClient
	req    *pb.SubscribeRequest
	store  CursorStore
	opts   SubscriberOptions
	seen   *recentIDs

	mu     sync.Mutex // guards closed
	closed bool

	stream       pb.NotificationService_SubscribeClient
	streamCancel context.CancelFunc
	pending      string        // cursor of the notice handed over last, saved on the next Next
	delay        time.Duration // the next backoff
	connected    bool          // a connection was attempted: the next one waits
	cause        error         // why the last stream ended
}

// NewSubscriber makes a subscriber of req (its types and order_ids; its resume_after only
// when store has no cursor yet). It subscribes on the first Next. Cancelling ctx, or
// Close, ends it.
func NewSubscriber(ctx context.Context, client pb.NotificationServiceClient, req *pb.SubscribeRequest,
	store CursorStore, opts *SubscriberOptions) *Subscriber {
	o := SubscriberOptions{}
	if opts != nil {
		o = *opts
	}
	if o.RecentIDs <= 0 {
		o.RecentIDs = 10000
	}
	if o.InitialBackoff <= 0 {
		o.InitialBackoff = 100 * time.Millisecond
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 5 * time.Second
	}
	if req == nil {
		req = &pb.SubscribeRequest{}
	}
	ctx, cancel := context.WithCancel(ctx)
	return &Subscriber{
		ctx:    ctx,
		cancel: cancel,
		client: client,
		req:    proto.Clone(req).(*pb.SubscribeRequest),
		store:  store,
		opts:   o,
		seen:   newRecentIDs(o.RecentIDs),
		delay:  o.InitialBackoff,
	}
}

// Close cancels the call; the subscriber stores nothing more (not even the cursor of the
// notice Next returned last, so that notice comes again to the next subscriber on the
// store). Next then returns ErrSubscriberClosed.
func (s *Subscriber) Close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.cancel()
}

// Next stores the cursor of the notice it returned before (the application processed
// it), then returns the next notice not handed over yet, reconnecting as needed. It
// returns an error when the subscriber cannot go on:
//   - an *Error with the decoded details for OUT_OF_RANGE (CURSOR_PRUNED,
//     CURSOR_AHEAD_OF_LOG: see Metadata("oldest_resume_after") and
//     Metadata("newest_cursor")), UNAUTHENTICATED, PERMISSION_DENIED, INVALID_ARGUMENT
//     and any other status retrying cannot help;
//   - a *StoreError when the store fails;
//   - ErrSubscriberClosed after Close, the context's error when it ends.
//
// After an error the subscriber is closed.
func (s *Subscriber) Next() (*pb.Notification, error) {
	if err := s.stopped(); err != nil {
		return nil, err
	}
	if s.pending != "" {
		if err := s.save(s.pending); err != nil {
			return nil, s.fail(err)
		}
		s.pending = ""
	}
	for {
		if s.stream == nil {
			if s.connected {
				d := jitter(s.delay)
				if s.opts.OnReconnect != nil {
					s.opts.OnReconnect(s.cause, d)
				}
				if sleep(s.ctx, d) != nil {
					return nil, s.fail(nil)
				}
				if s.delay *= 2; s.delay > s.opts.MaxBackoff {
					s.delay = s.opts.MaxBackoff
				}
			}
			s.connected = true
			if err := s.open(); err != nil {
				if s.resumable(err) {
					s.cause = err
					continue
				}
				return nil, s.fail(err)
			}
		}
		msg, err := s.stream.Recv()
		if err != nil {
			s.endStream()
			if s.resumable(err) {
				s.cause = err
				continue
			}
			return nil, s.fail(err)
		}
		s.delay = s.opts.InitialBackoff
		switch kind := msg.Kind.(type) {
		case *pb.SubscribeResponse_Heartbeat:
			// Every notice for us up to it was sent: move past others' events.
			if err := s.save(kind.Heartbeat.GetCursor()); err != nil {
				return nil, s.fail(err)
			}
		case *pb.SubscribeResponse_Notification:
			n := kind.Notification
			if s.seen.contains(n.GetNotificationId()) {
				// A replay of a notice the application already processed (it asked for
				// the next one since): skip it, and keep its place.
				if s.opts.OnDuplicate != nil {
					s.opts.OnDuplicate(n)
				}
				if err := s.save(n.GetCursor()); err != nil {
					return nil, s.fail(err)
				}
				continue
			}
			s.seen.add(n.GetNotificationId())
			s.pending = n.GetCursor()
			return n, nil
		}
	}
}

// open subscribes from the stored cursor and waits for the response headers.
func (s *Subscriber) open() error {
	cursor, stored, err := s.store.Load()
	if err != nil {
		return &StoreError{Err: err}
	}
	stored = stored && cursor != ""
	req := proto.Clone(s.req).(*pb.SubscribeRequest)
	if stored {
		req.ResumeAfter = cursor
	}
	ctx, cancel := context.WithCancel(s.ctx)
	stream, err := s.client.Subscribe(ctx, req, s.opts.CallOptions...)
	if err != nil {
		cancel()
		return err
	}
	header, err := stream.Header()
	if err != nil {
		cancel()
		return err
	}
	// A call refused at once has no start cursor: its status comes with Recv.
	if start := header.Get(StartCursorHeader); !stored && len(start) > 0 && start[0] != "" {
		// Saved at once: a stream that ends before its first message misses nothing.
		if err := s.save(start[0]); err != nil {
			cancel()
			return err
		}
	}
	s.stream, s.streamCancel = stream, cancel
	return nil
}

func (s *Subscriber) endStream() {
	if s.streamCancel != nil {
		s.streamCancel()
	}
	s.stream, s.streamCancel = nil, nil
}

// resumable says whether the stream may be resumed after err: it ended (io.EOF), or failed
// with UNAVAILABLE (the server stops, or is down), RESOURCE_EXHAUSTED
// (SUBSCRIBER_TOO_SLOW), INTERNAL from a reset stream (without an ErrorInfo), DEADLINE_EXCEEDED, or CANCELLED that
// the application did not ask for.
func (s *Subscriber) resumable(err error) bool {
	if s.ctx.Err() != nil {
		return false // stopping
	}
	if errors.Is(err, io.EOF) {
		return true
	}
	var storeErr *StoreError
	if errors.As(err, &storeErr) {
		return false
	}
	decoded := DecodeError(err)
	switch decoded.Code {
	case codes.Unavailable, codes.ResourceExhausted, codes.DeadlineExceeded, codes.Canceled:
		return true
	case codes.Internal:
		// A reset stream, not the server's own INTERNAL (which carries an ErrorInfo with an
		// incident id): a server fault is reported, never retried forever.
		return decoded.ErrorInfo == nil
	}
	return false
}

// save stores cursor unless the subscriber is stopping (or cursor is empty: no place).
func (s *Subscriber) save(cursor string) error {
	if s.ctx.Err() != nil {
		return s.ctx.Err()
	}
	if cursor == "" {
		return nil
	}
	if err := s.store.Save(cursor); err != nil {
		return &StoreError{Err: err}
	}
	return nil
}

// stopped is the error Next returns once the subscriber is closed or its context ended.
func (s *Subscriber) stopped() error {
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		return ErrSubscriberClosed
	}
	return s.ctx.Err()
}

// fail ends the subscriber and returns why: the stop reason when it is stopping, the
// store's error, or the call's status with its details decoded.
func (s *Subscriber) fail(err error) error {
	stop := s.stopped()
	s.endStream()
	s.Close()
	s.pending = ""
	if stop != nil {
		return stop
	}
	var storeErr *StoreError
	if errors.As(err, &storeErr) {
		return err
	}
	if err == nil {
		return fmt.Errorf("orderservice: subscriber stopped")
	}
	return DecodeError(err)
}

// Subscribe runs a Subscriber and calls handler with each notice, once; a notice's cursor
// is stored when handler returns nil. It returns handler's error (that notice's cursor
// not stored), or the subscriber's (see Subscriber.Next); context.Canceled when ctx is
// cancelled.
func Subscribe(ctx context.Context, client pb.NotificationServiceClient, req *pb.SubscribeRequest,
	store CursorStore, handler func(*pb.Notification) error, opts *SubscriberOptions) error {
	sub := NewSubscriber(ctx, client, req, store, opts)
	defer sub.Close()
	for {
		n, err := sub.Next()
		if err != nil {
			return err
		}
		if err := handler(n); err != nil {
			return err
		}
	}
}
