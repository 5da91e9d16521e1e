package orderservice_test

// The scenario every client's tests show (clients/README.md, "What every language's tests
// show"), against the real server of ORDERSERVICE_TEST_URL, restarted through
// ORDERSERVICE_TEST_SERVER. Skipped when ORDERSERVICE_TEST_URL is unset (test.sh sets it).

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	pb "orderservice/clients/go/gen/orderservice/v1"
	"orderservice/clients/go/orderservice"

	"google.golang.org/genproto/googleapis/type/money"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/timestamppb"
)

type testServer struct {
	url, script string
}

func server(t *testing.T) testServer {
	t.Helper()
	s := testServer{url: os.Getenv("ORDERSERVICE_TEST_URL"), script: os.Getenv("ORDERSERVICE_TEST_SERVER")}
	if s.url == "" || s.script == "" {
		t.Skip("ORDERSERVICE_TEST_URL and ORDERSERVICE_TEST_SERVER are not set (run clients/go/test.sh)")
	}
	return s
}

// run runs the test-server script with args, within a minute.
func (s testServer) run(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, s.script, args...).Output()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			t.Fatalf("test-server %v: %v: %s", args, err, exit.Stderr)
		}
		t.Fatalf("test-server %v: %v", args, err)
	}
	return strings.TrimSpace(string(out))
}

// dial connects with a token of role and id.
func (s testServer) dial(t *testing.T, role, id string) *orderservice.Conn {
	t.Helper()
	conn, err := orderservice.Dial(context.Background(), s.url, s.run(t, "token", role, id))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

func randomID() string {
	b := make([]byte, 5)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return strings.ToUpper(hex.EncodeToString(b))
}

func yen(units int64) *money.Money { return &money.Money{CurrencyCode: "JPY", Units: units} }

func newOrder(orderID, sellerID, buyerID string) *pb.CreateOrderRequest {
	now := time.Now()
	return &pb.CreateOrderRequest{
		OrderId:        orderID,
		SellerId:       sellerID,
		BuyerId:        buyerID,
		CurrencyCode:   "JPY",
		PurchaseTime:   timestamppb.New(now.Add(-time.Hour)),
		LatestShipTime: timestamppb.New(now.Add(72 * time.Hour)),
		Items: []*pb.NewOrderItem{{
			OrderItemId: "1",
			Sku:         "SKU-TEA-100",
			Title:       "Sencha, 100 g",
			Quantity:    2,
			UnitCharges: []*pb.ChargeAmount{{Component: pb.ChargeComponent_CHARGE_COMPONENT_PRINCIPAL, Amount: yen(1200)}},
		}},
	}
}

// recorder is the application behind a subscriber: what it was handed, in order.
type recorder struct {
	mu         sync.Mutex
	got        []*pb.Notification
	duplicates []string
	causes     []string                 // why each stream ended before a reconnect
	onNotice   func(n *pb.Notification) // called before the notice is recorded
}

func (r *recorder) handle(n *pb.Notification) error {
	if r.onNotice != nil {
		r.onNotice(n)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, n)
	return nil
}

func (r *recorder) options() *orderservice.SubscriberOptions {
	return &orderservice.SubscriberOptions{
		OnReconnect: func(cause error, _ time.Duration) {
			r.mu.Lock()
			r.causes = append(r.causes, orderservice.DecodeError(cause).Error())
			r.mu.Unlock()
		},
		OnDuplicate: func(n *pb.Notification) {
			r.mu.Lock()
			r.duplicates = append(r.duplicates, n.NotificationId)
			r.mu.Unlock()
		},
	}
}

func (r *recorder) snapshot() (got []*pb.Notification, duplicates, causes []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*pb.Notification(nil), r.got...), append([]string(nil), r.duplicates...), append([]string(nil), r.causes...)
}

// waitFor waits (at most timeout) until the application has n notices, then returns them.
func (r *recorder) waitFor(t *testing.T, n int, timeout time.Duration) []*pb.Notification {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		got, _, _ := r.snapshot()
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %v the application has %d notices, want %d: %v", timeout, len(got), n, types(got))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

func cursors(ns []*pb.Notification) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.Cursor)
	}
	return out
}

func types(ns []*pb.Notification) []string {
	var out []string
	for _, n := range ns {
		out = append(out, strings.TrimPrefix(n.Type.String(), "NOTIFICATION_TYPE_"))
	}
	return out
}

// checkOnceInOrder fails unless got is exactly want (types), with distinct ids.
func checkOnceInOrder(t *testing.T, who string, got []*pb.Notification, want ...string) {
	t.Helper()
	if strings.Join(types(got), ",") != strings.Join(want, ",") {
		t.Errorf("%s's application received %v, want %v", who, types(got), want)
	}
	ids := map[string]bool{}
	for _, n := range got {
		if ids[n.NotificationId] {
			t.Errorf("%s's application received notice %s twice", who, n.NotificationId)
		}
		ids[n.NotificationId] = true
	}
}

// lossyStore loses its writes from the moment it is armed until it is loaded again, as a
// store whose last write did not survive: the subscriber resumes from an older cursor.
type lossyStore struct {
	orderservice.MemoryCursorStore
	mu      sync.Mutex
	armed   bool
	dropped int
}

func (s *lossyStore) arm() { s.mu.Lock(); s.armed = true; s.mu.Unlock() }

func (s *lossyStore) Save(cursor string) error {
	s.mu.Lock()
	if s.armed {
		s.dropped++
		s.mu.Unlock()
		return nil
	}
	s.mu.Unlock()
	return s.MemoryCursorStore.Save(cursor)
}

func (s *lossyStore) Load() (string, bool, error) {
	s.mu.Lock()
	s.armed = false
	s.mu.Unlock()
	return s.MemoryCursorStore.Load()
}

// subscribe runs a resumable subscriber in the background until the test ends.
func subscribe(t *testing.T, conn *orderservice.Conn, orderID string, store orderservice.CursorStore, app *recorder) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- orderservice.Subscribe(ctx, conn.Notifications, &pb.SubscribeRequest{OrderIds: []string{orderID}},
			store, app.handle, app.options())
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("the subscriber ended with %v, not by its cancellation", err)
			}
		case <-time.After(10 * time.Second):
			t.Errorf("the subscriber did not stop within 10 s of its cancellation")
		}
	})
	// Started: the start cursor is stored before the intake.
	deadline := time.Now().Add(15 * time.Second)
	for {
		if _, ok, _ := store.Load(); ok {
			return
		}
		select {
		case err := <-done:
			t.Fatalf("the subscriber ended: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("no start cursor stored within 15 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestScenario(t *testing.T) {
	srv := server(t)
	run := randomID()
	sellerID, buyerID, orderID := "SELLER-GO-"+run, "BUYER-GO-"+run, "GO-"+run+"-1"
	marketplace := srv.dial(t, "marketplace", "intake")
	seller := srv.dial(t, "seller", sellerID)
	buyer := srv.dial(t, "buyer", buyerID)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	// Subscribers for the seller (its cursor in a file) and the buyer (in memory), and a
	// second one for the seller whose store will lose its last write; all started (start
	// cursor stored) before the intake.
	sellerApp, buyerApp, lossyApp := &recorder{}, &recorder{}, &recorder{}
	lossy := &lossyStore{}
	lossyApp.onNotice = func(n *pb.Notification) {
		if n.Type == pb.NotificationType_NOTIFICATION_TYPE_PAYMENT_AUTHORIZED {
			lossy.arm() // this notice's cursor, and every one after, until it is loaded again, is lost
		}
	}
	subscribe(t, seller, orderID, orderservice.FileCursorStore{Path: filepath.Join(t.TempDir(), "seller.cursor")}, sellerApp)
	subscribe(t, buyer, orderID, &orderservice.MemoryCursorStore{}, buyerApp)
	subscribe(t, seller, orderID, lossy, lossyApp)

	ok := t.Run("1 intake", func(t *testing.T) {
		created, err := orderservice.Call(ctx, newOrder(orderID, sellerID, buyerID), marketplace.Orders.CreateOrder)
		if err != nil {
			t.Fatalf("CreateOrder: %v", err)
		}
		if created.Order.GetStatus() != pb.OrderStatus_ORDER_STATUS_PENDING {
			t.Errorf("created order status %v", created.Order.GetStatus())
		}
		authorized, err := orderservice.Call(ctx, &pb.AuthorizePaymentRequest{
			OrderId: orderID,
			ShippingAddress: &pb.ShippingAddress{
				RecipientName: "Yamada Hanako",
				AddressLines:  []string{"1-2-3 Jingumae"},
				Locality:      "Shibuya-ku",
				PostalCode:    "150-0001",
				RegionCode:    "JP",
			},
			BuyerContact: &pb.BuyerContact{Name: "Yamada Hanako", Email: "hanako@example.jp"},
		}, marketplace.Orders.AuthorizePayment)
		if err != nil {
			t.Fatalf("AuthorizePayment: %v", err)
		}
		if authorized.Order.GetStatus() != pb.OrderStatus_ORDER_STATUS_UNSHIPPED {
			t.Errorf("authorized order status %v", authorized.Order.GetStatus())
		}
	})

	ok = t.Run("2 subscribers", func(t *testing.T) {
		if !ok {
			t.Fatal("no intake")
		}
		checkOnceInOrder(t, "the seller", sellerApp.waitFor(t, 2, 20*time.Second), "ORDER_CREATED", "PAYMENT_AUTHORIZED")
		checkOnceInOrder(t, "the buyer", buyerApp.waitFor(t, 1, 20*time.Second), "ORDER_CREATED")
		lossyApp.waitFor(t, 2, 20*time.Second)
	}) && ok

	restarted := t.Run("3 restart", func(t *testing.T) {
		if !ok {
			t.Fatal("the subscribers did not receive the intake")
		}
		srv.run(t, "restart")
		// The first calls after the restart may still meet the old connection: Call retries
		// UNAVAILABLE with the same request_id.
		_, err := orderservice.Call(ctx, &pb.CancelOrderRequest{
			OrderId: orderID,
			Reason:  pb.CancelReason_CANCEL_REASON_NO_INVENTORY,
		}, seller.Orders.CancelOrder, orderservice.RetryPolicy{Attempts: 10, MaxDelay: 2 * time.Second})
		if err != nil {
			t.Fatalf("CancelOrder: %v", err)
		}
		sellerApp.waitFor(t, 3, 30*time.Second)
		buyerApp.waitFor(t, 2, 30*time.Second)
		time.Sleep(1500 * time.Millisecond) // heartbeats come every second: a duplicate would be here by now
		for _, sub := range []struct {
			who  string
			app  *recorder
			want []string
		}{
			{"the seller", sellerApp, []string{"ORDER_CREATED", "PAYMENT_AUTHORIZED", "ORDER_CANCELED"}},
			{"the buyer", buyerApp, []string{"ORDER_CREATED", "ORDER_CANCELED"}},
		} {
			got, _, causes := sub.app.snapshot()
			checkOnceInOrder(t, sub.who, got, sub.want...)
			if len(causes) == 0 {
				t.Errorf("%s's subscriber never reconnected: the restart was not seen", sub.who)
			}
			t.Logf("%s's subscriber reconnected %d times; the first stream ended with %q", sub.who, len(causes), first(causes))
			t.Logf("%s's cursors: %q", sub.who, cursors(got))
		}
	})

	t.Run("4 no duplicate to the application", func(t *testing.T) {
		if !restarted {
			t.Fatal("no restart")
		}
		lossyApp.waitFor(t, 3, 30*time.Second)
		time.Sleep(500 * time.Millisecond)
		got, duplicates, _ := lossyApp.snapshot()
		checkOnceInOrder(t, "the seller (lossy store)", got, "ORDER_CREATED", "PAYMENT_AUTHORIZED", "ORDER_CANCELED")
		// The server did replay the notice whose cursor was lost, and it was skipped.
		if len(got) < 2 || len(duplicates) != 1 || duplicates[0] != got[1].NotificationId {
			t.Errorf("want the PAYMENT_AUTHORIZED notice replayed once and skipped, skipped %v", duplicates)
		}
		lossy.mu.Lock()
		dropped := lossy.dropped
		lossy.mu.Unlock()
		if dropped == 0 {
			t.Error("the store lost no write")
		}
	})

	t.Run("5 refused call", func(t *testing.T) {
		req := newOrder("GO-"+run+"-2", sellerID, buyerID)
		req.Items[0].Quantity = 0
		_, err := orderservice.Call(ctx, req, marketplace.Orders.CreateOrder)
		e := orderservice.DecodeError(err)
		if e == nil {
			t.Fatal("an order of 0 units was accepted")
		}
		if e.Code != codes.InvalidArgument {
			t.Errorf("code %v, want INVALID_ARGUMENT", e.Code)
		}
		if e.ErrorInfo.GetReason() != "INVALID_FIELD" || e.ErrorInfo.GetDomain() != "orderservice" {
			t.Errorf("ErrorInfo %v, want reason INVALID_FIELD in domain orderservice", e.ErrorInfo)
		}
		if v := e.FieldViolation("items[0].quantity"); v == nil || v.Description == "" {
			t.Errorf("no BadRequest field violation naming items[0].quantity: %v", e.BadRequest)
		}
		t.Logf("refused: %v; violations %v", e, e.BadRequest.GetFieldViolations())
	})
}
