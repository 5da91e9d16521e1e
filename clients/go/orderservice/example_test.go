package orderservice_test

// The README's examples, compiled by go vet and go test (not run: they need a server).

import (
	"context"
	"errors"
	"log"
	"time"

	pb "orderservice/clients/go/gen/orderservice/v1"
	"orderservice/clients/go/orderservice"

	"google.golang.org/grpc/codes"
)

func ExampleCall() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := orderservice.Dial(ctx, "http://127.0.0.1:5080", sellerToken)
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	resp, err := orderservice.Call(ctx, &pb.CancelOrderRequest{ // request_id: a new UUID, kept across retries
		OrderId: "503-1234567-0001",
		Reason:  pb.CancelReason_CANCEL_REASON_NO_INVENTORY,
	}, conn.Orders.CancelOrder)
	if err != nil {
		log.Fatal(err) // an *orderservice.Error: code, ErrorInfo, BadRequest, PreconditionFailure
	}
	log.Println(resp.Order.Status)
}

func ExampleSubscribe() {
	conn, err := orderservice.Dial(context.Background(), "http://127.0.0.1:5080", sellerToken)
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	store := orderservice.FileCursorStore{Path: "seller.cursor"} // where it resumes after a restart
	err = orderservice.Subscribe(context.Background(), conn.Notifications, &pb.SubscribeRequest{
		Types: []pb.NotificationType{pb.NotificationType_NOTIFICATION_TYPE_ORDER_CANCELED},
	}, store, func(n *pb.Notification) error {
		log.Println(n.Type, n.OrderId) // once per notification_id; its cursor is stored when this returns nil
		return nil
	}, nil)
	log.Fatal(err) // OUT_OF_RANGE, UNAUTHENTICATED, PERMISSION_DENIED, INVALID_ARGUMENT; reconnects otherwise
}

func ExampleDecodeError() {
	_, err := orderservice.Call(context.Background(), &pb.CancelOrderRequest{OrderId: "503-1234567-0001"}, conn.Orders.CancelOrder)
	e := orderservice.DecodeError(err) // nil when err is nil
	switch {
	case e == nil:
	case e.Code == codes.InvalidArgument:
		for _, v := range e.BadRequest.GetFieldViolations() {
			log.Printf("%s: %s", v.Field, v.Description) // reason: e.Reason(), "INVALID_FIELD"
		}
	case e.Code == codes.FailedPrecondition && e.Reason() == "ORDER_SHIPPED":
		log.Printf("send the buyer template %s", e.Metadata("reply_template"))
	}
}

func ExampleSubscriber_Next() {
	sub := orderservice.NewSubscriber(context.Background(), conn.Notifications, &pb.SubscribeRequest{}, &orderservice.MemoryCursorStore{}, nil)
	defer sub.Close()
	for {
		n, err := sub.Next() // stores the cursor of the notice returned before
		var e *orderservice.Error
		if errors.As(err, &e) && e.Code == codes.OutOfRange {
			log.Fatalf("reconcile with ListOrders, then resume after %s%s", e.Metadata("oldest_resume_after"), e.Metadata("newest_cursor"))
		} else if err != nil {
			log.Fatal(err)
		}
		log.Println(n.Type, n.OrderId)
	}
}

var (
	sellerToken = "<jwt>"
	conn        *orderservice.Conn
)
