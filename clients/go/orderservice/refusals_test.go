package orderservice_test

import (
	"context"
	"errors"
	"testing"
	"time"

	pb "orderservice/clients/go/gen/orderservice/v1"
	"orderservice/clients/go/orderservice"

	"google.golang.org/grpc/codes"
)

// nextError runs a subscriber until its first result, within 15 s, and returns its error.
func nextError(t *testing.T, conn *orderservice.Conn, req *pb.SubscribeRequest, store orderservice.CursorStore) *orderservice.Error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	sub := orderservice.NewSubscriber(ctx, conn.Notifications, req, store, nil)
	defer sub.Close()
	n, err := sub.Next()
	var e *orderservice.Error
	if !errors.As(err, &e) {
		t.Fatalf("want a refusal with its details, have %v %v", n, err)
	}
	return e
}

// What retrying cannot help ends the subscriber at once, with the decoded details.
func TestSubscriberRefusals(t *testing.T) {
	srv := server(t)
	run := randomID()

	t.Run("bad token", func(t *testing.T) {
		conn, err := orderservice.Dial(context.Background(), srv.url, "not-a-token")
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		e := nextError(t, conn, &pb.SubscribeRequest{}, &orderservice.MemoryCursorStore{})
		if e.Code != codes.Unauthenticated || e.Reason() != "TOKEN_INVALID" {
			t.Errorf("want UNAUTHENTICATED TOKEN_INVALID, have %v", e)
		}
	})

	buyer := srv.dial(t, "buyer", "BUYER-GO-"+run)

	t.Run("type not for the audience", func(t *testing.T) {
		e := nextError(t, buyer, &pb.SubscribeRequest{
			Types: []pb.NotificationType{pb.NotificationType_NOTIFICATION_TYPE_PAYMENT_AUTHORIZED},
		}, &orderservice.MemoryCursorStore{})
		if e.Code != codes.InvalidArgument || e.BadRequest == nil {
			t.Errorf("want INVALID_ARGUMENT with a BadRequest, have %v", e)
		}
	})

	t.Run("cursor ahead of the log", func(t *testing.T) {
		store := &orderservice.MemoryCursorStore{}
		_ = store.Save("900000000000") // not a cursor of this log (one of another database)
		e := nextError(t, buyer, &pb.SubscribeRequest{}, store)
		if e.Code != codes.OutOfRange || e.Reason() != "CURSOR_AHEAD_OF_LOG" || e.Metadata("newest_cursor") == "" {
			t.Errorf("want OUT_OF_RANGE CURSOR_AHEAD_OF_LOG with newest_cursor, have %v (%v)", e, e.ErrorInfo)
		}
	})
}

// A repeated request_id gets the first answer; another request for the same order id is
// ALREADY_EXISTS with a BadRequest naming order_id.
func TestRequestIDMakesARetrySafe(t *testing.T) {
	srv := server(t)
	run := randomID()
	marketplace := srv.dial(t, "marketplace", "intake")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	req := newOrder("GO-"+run+"-1", "SELLER-GO-"+run, "BUYER-GO-"+run)
	first, err := orderservice.Call(ctx, req, marketplace.Orders.CreateOrder)
	if err != nil {
		t.Fatal(err)
	}
	if req.RequestId == "" {
		t.Fatal("Call did not set a request_id")
	}
	again, err := orderservice.Call(ctx, req, marketplace.Orders.CreateOrder) // as a retry after a lost answer
	if err != nil {
		t.Fatalf("the same request again: %v", err)
	}
	if again.Order.GetCreateTime().AsTime() != first.Order.GetCreateTime().AsTime() || again.Order.GetEtag() != first.Order.GetEtag() {
		t.Errorf("the repeat was not answered with the first answer: %v / %v", first.Order, again.Order)
	}

	req.RequestId = "" // a new request for the same order id
	_, err = orderservice.Call(ctx, req, marketplace.Orders.CreateOrder)
	e := orderservice.DecodeError(err)
	if e == nil || e.Code != codes.AlreadyExists || e.Reason() != "ORDER_ALREADY_EXISTS" || e.FieldViolation("order_id") == nil {
		t.Errorf("want ALREADY_EXISTS ORDER_ALREADY_EXISTS naming order_id, have %v", err)
	}
}
