package orderservice

// Unit tests that need no server: the bounded id set, the cursor stores, request ids,
// error decoding, the retry helper and the subscriber's algorithm against a scripted
// NotificationServiceClient.

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"

	pb "orderservice/clients/go/gen/orderservice/v1"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

func TestRecentIDsForgetsTheOldestPastCapacity(t *testing.T) {
	r := newRecentIDs(3)
	for _, id := range []string{"a", "b", "c", "a"} { // "a" again: still three ids
		r.add(id)
	}
	if !r.contains("a") || !r.contains("b") || !r.contains("c") {
		t.Fatalf("want a, b, c remembered, have %v", r.ring)
	}
	r.add("d")
	if r.contains("a") || !r.contains("d") || len(r.ids) != 3 {
		t.Fatalf("want a forgotten for d, have %v", r.ring)
	}
	r.add("e")
	if r.contains("b") || !r.contains("c") || !r.contains("e") {
		t.Fatalf("want b forgotten for e, have %v", r.ring)
	}
}

func TestFileCursorStoreRoundTrip(t *testing.T) {
	dir := t.TempDir()
	store := FileCursorStore{Path: filepath.Join(dir, "seller.cursor")}
	if c, ok, err := store.Load(); err != nil || ok || c != "" {
		t.Fatalf("a missing file is no cursor: %q %v %v", c, ok, err)
	}
	for _, c := range []string{"17", "42"} {
		if err := store.Save(c); err != nil {
			t.Fatal(err)
		}
		if got, ok, err := store.Load(); err != nil || !ok || got != c {
			t.Fatalf("after Save(%q): Load = %q %v %v", c, got, ok, err)
		}
	}
	// Written by rename: no temporary file is left beside it.
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("want only the cursor file in %s, have %d entries", dir, len(entries))
	}
	// Another store on the same file (another process) reads it.
	if got, _, _ := (FileCursorStore{Path: store.Path}).Load(); got != "42" {
		t.Fatalf("reopened: %q", got)
	}
}

func TestFileCursorStoreRefusesAnEmptyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "seller.cursor")
	if err := os.WriteFile(path, []byte("\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// Not "start from now": that would skip every notice since the last save.
	if c, ok, err := (FileCursorStore{Path: path}).Load(); err == nil || ok {
		t.Fatalf("an empty cursor file must be an error, have %q %v %v", c, ok, err)
	}
}

func TestMemoryCursorStore(t *testing.T) {
	var s MemoryCursorStore
	if _, ok, _ := s.Load(); ok {
		t.Fatal("a new store has no cursor")
	}
	_ = s.Save("")
	if c, ok, _ := s.Load(); !ok || c != "" {
		t.Fatalf("an empty cursor is still a stored cursor: %q %v", c, ok)
	}
}

func TestRequestIDs(t *testing.T) {
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	a, b := NewRequestID(), NewRequestID()
	if !uuid.MatchString(a) || a == b {
		t.Fatalf("want two distinct v4 UUIDs, have %q %q", a, b)
	}
	req := &pb.CancelOrderRequest{OrderId: "X"}
	id := EnsureRequestID(req)
	if !uuid.MatchString(id) || req.RequestId != id || EnsureRequestID(req) != id {
		t.Fatalf("EnsureRequestID set %q, the request has %q", id, req.RequestId)
	}
	if EnsureRequestID(&pb.GetOrderRequest{OrderId: "X"}) != "" {
		t.Fatal("a read has no request_id")
	}
}

func TestDecodeErrorReadsTheDetails(t *testing.T) {
	st, err := status.New(codes.InvalidArgument, "items[0].quantity must be 1-10000").WithDetails(
		&errdetails.ErrorInfo{Reason: "INVALID_FIELD", Domain: "orderservice", Metadata: map[string]string{"field": "items[0].quantity"}},
		&errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{{Field: "items[0].quantity", Description: "1-10000"}}},
	)
	if err != nil {
		t.Fatal(err)
	}
	e := DecodeError(st.Err())
	if e.Code != codes.InvalidArgument || e.Reason() != "INVALID_FIELD" || e.Metadata("field") != "items[0].quantity" ||
		e.FieldViolation("items[0].quantity") == nil || e.PreconditionFailure != nil {
		t.Fatalf("decoded: %+v", e)
	}
	if status.Code(e) != codes.InvalidArgument || DecodeError(e) != e {
		t.Fatal("an *Error keeps its status")
	}
	if e.Error() != "INVALID_ARGUMENT INVALID_FIELD: items[0].quantity must be 1-10000" {
		t.Fatalf("Error() = %q", e.Error())
	}
	if DecodeError(nil) != nil || DecodeError(context.Canceled).Code != codes.Canceled {
		t.Fatal("nil and context errors")
	}
}

func TestCallRetriesWithTheSameRequestID(t *testing.T) {
	var seen []string
	call := func(ctx context.Context, req *pb.CancelOrderRequest, _ ...grpc.CallOption) (*pb.CancelOrderResponse, error) {
		seen = append(seen, req.RequestId)
		switch len(seen) {
		case 1:
			return nil, status.Error(codes.Unavailable, "connection refused")
		case 2:
			return nil, status.Error(codes.Aborted, "CONCURRENT_MODIFICATION")
		}
		return &pb.CancelOrderResponse{}, nil
	}
	policy := RetryPolicy{InitialDelay: time.Millisecond}
	if _, err := Call(context.Background(), &pb.CancelOrderRequest{OrderId: "X"}, call, policy); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 3 || seen[0] == "" || seen[1] != seen[0] || seen[2] != seen[0] {
		t.Fatalf("want 3 attempts with one request_id, have %q", seen)
	}

	seen = nil
	refuse := func(ctx context.Context, req *pb.CancelOrderRequest, _ ...grpc.CallOption) (*pb.CancelOrderResponse, error) {
		seen = append(seen, req.RequestId)
		return nil, status.Error(codes.InvalidArgument, "no")
	}
	_, err := Call(context.Background(), &pb.CancelOrderRequest{RequestId: "mine"}, refuse, policy)
	if DecodeError(err).Code != codes.InvalidArgument || len(seen) != 1 || seen[0] != "mine" {
		t.Fatalf("INVALID_ARGUMENT is not retried and a given request_id is kept: %v %q", err, seen)
	}
}

// --- the subscriber against a scripted server ---

// script is one Subscribe call's answer: the start cursor header, the messages, then end
// (nil: the stream stays open until cancelled; io.EOF: it ends with OK).
type script struct {
	start    string
	messages []*pb.SubscribeResponse
	end      error
}

type fakeNotifications struct {
	mu      sync.Mutex
	scripts []script
	resumed []string // resume_after of each call
}

func (f *fakeNotifications) Subscribe(ctx context.Context, in *pb.SubscribeRequest, _ ...grpc.CallOption) (pb.NotificationService_SubscribeClient, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.resumed = append(f.resumed, in.ResumeAfter)
	if len(f.scripts) == 0 {
		return nil, status.Error(codes.Unavailable, "connection refused")
	}
	s := f.scripts[0]
	f.scripts = f.scripts[1:]
	return &fakeStream{ctx: ctx, s: s}, nil
}

func (f *fakeNotifications) calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.resumed...)
}

type fakeStream struct {
	grpc.ClientStream
	ctx context.Context
	s   script
}

func (f *fakeStream) Header() (metadata.MD, error) {
	if f.s.start == "" {
		return metadata.MD{}, nil
	}
	return metadata.Pairs(StartCursorHeader, f.s.start), nil
}

func (f *fakeStream) Recv() (*pb.SubscribeResponse, error) {
	if len(f.s.messages) > 0 {
		m := f.s.messages[0]
		f.s.messages = f.s.messages[1:]
		return m, nil
	}
	if f.s.end != nil {
		return nil, f.s.end
	}
	<-f.ctx.Done()
	return nil, status.Error(codes.Canceled, "context canceled")
}

func notice(id, cursor string) *pb.SubscribeResponse {
	return &pb.SubscribeResponse{Kind: &pb.SubscribeResponse_Notification{Notification: &pb.Notification{NotificationId: id, Cursor: cursor}}}
}

func heartbeat(cursor string) *pb.SubscribeResponse {
	return &pb.SubscribeResponse{Kind: &pb.SubscribeResponse_Heartbeat{Heartbeat: &pb.Heartbeat{Cursor: cursor}}}
}

var fast = &SubscriberOptions{InitialBackoff: time.Millisecond, MaxBackoff: 4 * time.Millisecond}

func TestSubscriberHandsAReplayedNoticeOnce(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	server := &fakeNotifications{scripts: []script{
		{start: "c0", messages: []*pb.SubscribeResponse{notice("n1", "c1"), notice("n2", "c2")},
			end: status.Error(codes.Unavailable, "SERVER_SHUTTING_DOWN")},
		// The server replays n2: at least once.
		{start: "c1", messages: []*pb.SubscribeResponse{notice("n2", "c2"), notice("n3", "c3"), heartbeat("c9")}},
	}}
	store := &droppingStore{}
	_ = store.Save("c0")
	var dups []string
	opts := *fast
	opts.OnDuplicate = func(n *pb.Notification) { dups = append(dups, n.NotificationId) }
	sub := NewSubscriber(ctx, server, &pb.SubscribeRequest{}, store, &opts)
	defer sub.Close()

	var got []string
	for len(got) < 3 {
		n, err := sub.Next()
		if err != nil {
			t.Fatalf("after %v: %v", got, err)
		}
		got = append(got, n.NotificationId)
		if n.NotificationId == "n2" {
			store.drop = true // loses the write of n2's cursor (the next Next saves it)
		}
	}
	if want := []string{"n1", "n2", "n3"}; !equal(got, want) {
		t.Fatalf("handed %v, want %v", got, want)
	}
	if !equal(dups, []string{"n2"}) {
		t.Fatalf("skipped %v, want [n2]", dups)
	}
	if calls := server.calls(); !equal(calls, []string{"c0", "c1"}) {
		t.Fatalf("resume_after of the calls: %v", calls)
	}
}

func TestSubscriberStoresCursorsAfterProcessing(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	server := &fakeNotifications{scripts: []script{
		// Ends before its first message: the start cursor was stored at once.
		{start: "s0", end: io.EOF},
		{start: "s0", messages: []*pb.SubscribeResponse{heartbeat("h1"), notice("n1", "c2")}},
	}}
	store := &MemoryCursorStore{}
	sub := NewSubscriber(ctx, server, &pb.SubscribeRequest{}, store, fast)
	n, err := sub.Next()
	if err != nil || n.NotificationId != "n1" {
		t.Fatalf("Next: %v %v", n, err)
	}
	if c, _, _ := store.Load(); c != "h1" {
		t.Fatalf("while n1 is processed the store holds the heartbeat's cursor, have %q", c)
	}
	if calls := server.calls(); !equal(calls, []string{"", "s0"}) {
		t.Fatalf("resume_after of the calls: %v", calls)
	}
	// Stopping stores nothing more: n1 was not acknowledged by a Next.
	sub.Close()
	if _, err := sub.Next(); !errors.Is(err, ErrSubscriberClosed) {
		t.Fatalf("after Close: %v", err)
	}
	if c, _, _ := store.Load(); c != "h1" {
		t.Fatalf("after Close the store holds %q", c)
	}
}

func TestSubscriberRaisesWhatRetryingCannotHelp(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	st, _ := status.New(codes.OutOfRange, "pruned").WithDetails(&errdetails.ErrorInfo{
		Reason: "CURSOR_PRUNED", Domain: "orderservice", Metadata: map[string]string{"oldest_resume_after": "100"}})
	server := &fakeNotifications{scripts: []script{
		{start: "c0", end: status.Error(codes.ResourceExhausted, "SUBSCRIBER_TOO_SLOW")},
		{start: "c0", end: status.Error(codes.Internal, "stream reset")},
		{end: st.Err()},
	}}
	var causes []codes.Code
	opts := *fast
	opts.OnReconnect = func(cause error, _ time.Duration) { causes = append(causes, DecodeError(cause).Code) }
	_, err := NewSubscriber(ctx, server, &pb.SubscribeRequest{}, &MemoryCursorStore{}, &opts).Next()
	var e *Error
	if !errors.As(err, &e) || e.Code != codes.OutOfRange || e.Reason() != "CURSOR_PRUNED" || e.Metadata("oldest_resume_after") != "100" {
		t.Fatalf("want OUT_OF_RANGE CURSOR_PRUNED with oldest_resume_after, have %v", err)
	}
	if want := []codes.Code{codes.ResourceExhausted, codes.Internal}; len(causes) != 2 || causes[0] != want[0] || causes[1] != want[1] {
		t.Fatalf("reconnected after %v, want %v", causes, want)
	}
}

func TestSubscriberStopsWhenItsContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	server := &fakeNotifications{} // always refused: the subscriber keeps reconnecting
	done := make(chan error, 1)
	go func() {
		done <- Subscribe(ctx, server, nil, &MemoryCursorStore{}, func(*pb.Notification) error { return nil }, fast)
	}()
	time.Sleep(20 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("want context.Canceled, have %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the subscriber did not stop")
	}
}

// droppingStore loses its writes while drop is set, until it is loaded again.
type droppingStore struct {
	MemoryCursorStore
	drop bool
}

func (s *droppingStore) Save(cursor string) error {
	if s.drop {
		return nil
	}
	return s.MemoryCursorStore.Save(cursor)
}

func (s *droppingStore) Load() (string, bool, error) {
	s.drop = false
	return s.MemoryCursorStore.Load()
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
