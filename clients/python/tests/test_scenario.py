"""The scenario every language's client tests show (clients/README.md, "What every
language's tests show"), against the real test server.

The steps build on each other and run in the order of their names: subscribers first,
then the intake, then a server restart and a cancellation. A step that finds an earlier
one failed fails too, naming it.
"""

import threading
import unittest

import grpc

from support import (
    Consumer, authorize_payment_request, buyer, create_order_request, marketplace,
    new_order_id, seller, server_url, test_server, wait_until,
)
import orderservice_client as oc
from orderservice.v1 import notification_service_pb2 as pb
from orderservice.v1 import order_service_pb2 as orders_pb
from orderservice.v1 import types_pb2

CREATED = pb.NOTIFICATION_TYPE_ORDER_CREATED
AUTHORIZED = pb.NOTIFICATION_TYPE_PAYMENT_AUTHORIZED
CANCELED = pb.NOTIFICATION_TYPE_ORDER_CANCELED


class LostWriteStore(oc.CursorStore):
    """A cursor store that loses its writes: after ``lose_writes()`` it is back at the
    cursor it held at ``checkpoint()``, and the saves that follow are lost too until the
    subscriber next reads it (as a store whose last writes never reached the disk before
    the process restarted and read it back)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._cursor = None
        self._durable = None
        self._losing = False

    def checkpoint(self):
        with self._lock:
            self._durable = self._cursor

    def lose_writes(self):
        with self._lock:
            self._losing = True
            self._cursor = self._durable

    def load(self):
        with self._lock:
            self._losing = False
            return self._cursor

    def save(self, cursor):
        with self._lock:
            if not self._losing:
                self._cursor = cursor


class SubscriberScenarioTest(unittest.TestCase):
    """Points 1-4: intake, seller and buyer subscribers, a restart, a lost cursor write."""

    @classmethod
    def setUpClass(cls):
        cls.failed_steps = []
        cls.order_id = new_order_id()
        cls.marketplace = marketplace()
        cls.seller = seller()
        cls.buyer = buyer()
        request = pb.SubscribeRequest(order_ids=[cls.order_id])
        cls.seller_store = oc.MemoryCursorStore()
        cls.buyer_store = oc.MemoryCursorStore()
        cls.lossy_store = LostWriteStore()
        cls.seller_app = Consumer("seller", oc.subscribe(cls.seller, request, cls.seller_store))
        cls.buyer_app = Consumer("buyer", oc.subscribe(cls.buyer, request, cls.buyer_store))
        cls.lossy_app = Consumer("seller with a lossy store",
                                 oc.subscribe(cls.seller.notifications, request, cls.lossy_store))
        # 2. started (start cursor stored) before the intake.
        for name, store in (("seller", cls.seller_store), ("buyer", cls.buyer_store),
                            ("lossy", cls.lossy_store)):
            wait_until(lambda: store.load() is not None, f"the {name} subscriber's start cursor")
        cls.lossy_store.checkpoint()
        cls.start_cursors = {"seller": cls.seller_store.load(), "buyer": cls.buyer_store.load()}

    @classmethod
    def tearDownClass(cls):
        stuck = []
        for app in (cls.seller_app, cls.buyer_app, cls.lossy_app):
            try:
                app.stop()
            except AssertionError as error:
                stuck.append(str(error))
        for connection in (cls.marketplace, cls.seller, cls.buyer):
            connection.close()
        if stuck:
            raise AssertionError("; ".join(stuck))

    def run(self, result=None):
        # Remember which steps failed, so that the later ones say why they cannot go on.
        before = len(result.failures) + len(result.errors) if result else 0
        outcome = super().run(result)
        if result is not None and len(result.failures) + len(result.errors) > before:
            type(self).failed_steps.append(self._testMethodName)
        return outcome

    def require_earlier_steps(self):
        if self.failed_steps:
            self.fail(f"an earlier step failed: {', '.join(self.failed_steps)}")

    def test_1_intake_creates_and_authorizes_a_jpy_order(self):
        created = oc.call_with_retry(self.marketplace.orders.CreateOrder,
                                     create_order_request(self.order_id))
        self.assertEqual(created.order.order_id, self.order_id)
        self.assertEqual(created.order.status, types_pb2.ORDER_STATUS_PENDING)
        self.assertEqual(created.order.currency_code, "JPY")
        self.assertEqual(created.order.items[0].unit_charges[0].amount.units, 1200)

        authorized = oc.call_with_retry(self.marketplace.orders.AuthorizePayment,
                                        authorize_payment_request(self.order_id))
        self.assertEqual(authorized.order.status, types_pb2.ORDER_STATUS_UNSHIPPED)
        self.assertEqual(authorized.order.shipping_address.region_code, "JP")

    def test_2_seller_and_buyer_receive_the_intake_notices(self):
        self.require_earlier_steps()
        seller_notices = self.seller_app.expect(CREATED, AUTHORIZED)
        buyer_notices = self.buyer_app.expect(CREATED)
        self.lossy_app.expect(CREATED, AUTHORIZED)
        for notice in seller_notices + buyer_notices:
            self.assertEqual(notice.order_id, self.order_id)
        self.assertEqual({n.audience for n in seller_notices}, {pb.NOTIFICATION_AUDIENCE_SELLER})
        self.assertEqual(buyer_notices[0].audience, pb.NOTIFICATION_AUDIENCE_BUYER)
        self.assertEqual(buyer_notices[0].order.status, types_pb2.ORDER_STATUS_PENDING)
        self.assertEqual(seller_notices[1].order.status, types_pb2.ORDER_STATUS_UNSHIPPED)
        # The first notice's cursor is stored once the application has processed it (the
        # thread asked for the next), and the stored cursors move on from the start.
        wait_until(lambda: self.seller_store.load() != self.start_cursors["seller"],
                   "the seller's cursor to move past the start cursor")
        wait_until(lambda: self.buyer_store.load() != self.start_cursors["buyer"],
                   "the buyer's cursor to move past the start cursor")

    def test_3_after_a_restart_the_cancellation_reaches_both_once_in_order(self):
        self.require_earlier_steps()
        subscriptions = (self.seller_app.subscription, self.buyer_app.subscription,
                         self.lossy_app.subscription)
        connects = [s.connects for s in subscriptions]
        # Point 4's store loses what it wrote since its start cursor (see test_4).
        self.lossy_store.lose_writes()

        url = test_server("restart")
        self.assertEqual(url, server_url(), "the server came back on another address")

        # The seller cancels once the server is back (its channel may still be
        # reconnecting: the retry keeps the request_id).
        cancel = orders_pb.CancelOrderRequest(order_id=self.order_id,
                                              reason=types_pb2.CANCEL_REASON_NO_INVENTORY)
        answer = oc.call_with_retry(self.seller.orders.CancelOrder, cancel, attempts=10)
        self.assertEqual(answer.order.status, types_pb2.ORDER_STATUS_CANCELED)

        seller_cancel, = self.seller_app.expect(CANCELED)
        buyer_cancel, = self.buyer_app.expect(CANCELED)
        self.assertEqual(seller_cancel.cancellation.reason, types_pb2.CANCEL_REASON_NO_INVENTORY)
        self.assertEqual(buyer_cancel.order.status, types_pb2.ORDER_STATUS_CANCELED)
        self.seller_app.assert_nothing_more()
        self.buyer_app.assert_nothing_more(wait=0.1)

        # Each notice once, in order, none lost.
        self.assertEqual(self.seller_app.types(), ["ORDER_CREATED", "PAYMENT_AUTHORIZED", "ORDER_CANCELED"])
        self.assertEqual(self.buyer_app.types(), ["ORDER_CREATED", "ORDER_CANCELED"])
        for app in (self.seller_app, self.buyer_app):
            ids = [n.notification_id for n in app.received]
            self.assertEqual(len(ids), len(set(ids)), f"{app.name} got a notice twice: {ids}")
            cursors = [int(n.cursor) if n.cursor.isdigit() else n.cursor for n in app.received]
            self.assertEqual(cursors, sorted(cursors), f"{app.name}: notices out of order")

        # The subscribers really went through the restart: the stream ended with
        # UNAVAILABLE (SERVER_SHUTTING_DOWN, then refused connections) and they
        # subscribed again.
        for subscription, before in zip(subscriptions, connects):
            self.assertIn(grpc.StatusCode.UNAVAILABLE, subscription.end_codes)
            self.assertGreater(subscription.connects, before)

    def test_4_a_store_that_lost_its_last_write_hands_no_notice_twice(self):
        self.require_earlier_steps()
        # The lossy store was back at its start cursor when its subscriber reconnected,
        # so the server replayed ORDER_CREATED and PAYMENT_AUTHORIZED to it.
        self.lossy_app.expect(CANCELED)
        self.lossy_app.assert_nothing_more(wait=0.5)
        subscription = self.lossy_app.subscription
        self.assertGreaterEqual(subscription.duplicates_skipped, 2,
                                "the server did not replay the notices after the lost write")
        self.assertEqual(self.lossy_app.types(), ["ORDER_CREATED", "PAYMENT_AUTHORIZED", "ORDER_CANCELED"])
        ids = [n.notification_id for n in self.lossy_app.received]
        self.assertEqual(len(ids), len(set(ids)))


class RefusedCallTest(unittest.TestCase):
    """Point 5: a refused call, read as code, ErrorInfo reason and BadRequest field."""

    @classmethod
    def setUpClass(cls):
        cls.marketplace = marketplace()

    @classmethod
    def tearDownClass(cls):
        cls.marketplace.close()

    def test_5_invalid_field_is_invalid_argument_with_reason_and_field(self):
        order_id = new_order_id()
        request = create_order_request(order_id, quantity=0)
        with self.assertRaises(grpc.RpcError) as raised:
            oc.call_with_retry(self.marketplace.orders.CreateOrder, request)
        error = oc.decode_error(raised.exception)
        self.assertEqual(error.code, grpc.StatusCode.INVALID_ARGUMENT)
        self.assertEqual(error.reason, "INVALID_FIELD")
        self.assertEqual(error.error_info.domain, "orderservice")
        self.assertEqual(error.metadata.get("field"), "items[0].quantity")
        self.assertIn("items[0].quantity", error.fields)
        self.assertTrue(error.field_violations[0].description)
        # A refused request changes nothing.
        with self.assertRaises(grpc.RpcError) as missing:
            self.marketplace.orders.GetOrder(orders_pb.GetOrderRequest(order_id=order_id), timeout=10)
        self.assertEqual(missing.exception.code(), grpc.StatusCode.NOT_FOUND)


class MoreAgainstTheServerTest(unittest.TestCase):
    """The retry helper's request_id and the subscriber's refusals, on the real server."""

    @classmethod
    def setUpClass(cls):
        cls.marketplace = marketplace()
        cls.seller = seller()
        cls.buyer = buyer()

    @classmethod
    def tearDownClass(cls):
        for connection in (cls.marketplace, cls.seller, cls.buyer):
            connection.close()

    def test_a_repeated_request_id_returns_the_first_answer(self):
        request = create_order_request(new_order_id())
        first = oc.call_with_retry(self.marketplace.orders.CreateOrder, request)
        self.assertTrue(request.request_id, "call_with_retry sets a request_id")
        again = oc.call_with_retry(self.marketplace.orders.CreateOrder, request)
        self.assertEqual(again, first)
        other = orders_pb.CreateOrderRequest()
        other.CopyFrom(request)
        other.request_id = ""
        with self.assertRaises(grpc.RpcError) as raised:
            oc.call_with_retry(self.marketplace.orders.CreateOrder, other)
        self.assertEqual(oc.decode_error(raised.exception).reason, "ORDER_ALREADY_EXISTS")

    def test_a_cursor_of_another_log_is_raised_with_newest_cursor(self):
        store = oc.MemoryCursorStore("999999999999")
        subscription = oc.subscribe(self.seller, pb.SubscribeRequest(), store)
        app = Consumer("foreign cursor", subscription)
        app._thread.join(30)
        self.assertFalse(app._thread.is_alive(), "the subscriber kept going")
        self.assertIsInstance(app.error, oc.SubscriptionError)
        self.assertEqual(app.error.code, grpc.StatusCode.OUT_OF_RANGE)
        self.assertEqual(app.error.reason, "CURSOR_AHEAD_OF_LOG")
        self.assertIn("newest_cursor", app.error.details.metadata)
        self.assertEqual(store.load(), "999999999999", "a refused subscription stores nothing")

    def test_a_type_never_sent_to_buyers_is_raised_as_invalid_argument(self):
        request = pb.SubscribeRequest(types=[pb.NOTIFICATION_TYPE_PAYMENT_AUTHORIZED])
        app = Consumer("buyer filter", oc.subscribe(self.buyer, request, oc.MemoryCursorStore()))
        app._thread.join(30)
        self.assertIsInstance(app.error, oc.SubscriptionError)
        self.assertEqual(app.error.code, grpc.StatusCode.INVALID_ARGUMENT)
        self.assertEqual(app.error.details.fields, ("types[0]",))

    def test_stop_event_cancels_the_call(self):
        stop = threading.Event()
        store = oc.MemoryCursorStore()
        app = Consumer("stopped", oc.subscribe(self.seller, pb.SubscribeRequest(), store, stop=stop))
        wait_until(lambda: store.load() is not None, "the start cursor")
        stop.set()
        app._thread.join(10)
        self.assertFalse(app._thread.is_alive(), "setting the stop event did not end the iteration")
        self.assertIsNone(app.error)


if __name__ == "__main__":
    unittest.main()
