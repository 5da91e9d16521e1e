"""Cheap tests of the helpers, without a server."""

import os
import tempfile
import threading
import unittest
import uuid

import grpc

import support  # noqa: F401  (puts the client and its generated code on sys.path)
import orderservice_client as oc
from google.rpc import error_details_pb2, status_pb2
from orderservice.v1 import notification_service_pb2 as pb
from orderservice.v1 import order_service_pb2 as orders_pb


class FakeRpcError(grpc.RpcError, grpc.Call):
    """A failed call as grpc raises it: code, details and trailing metadata."""

    def __init__(self, code, message="", trailers=None):
        self._code, self._message, self._trailers = code, message, trailers

    def code(self):
        return self._code

    def details(self):
        return self._message

    def trailing_metadata(self):
        return self._trailers

    def initial_metadata(self):
        return None

    def is_active(self):
        return False

    def time_remaining(self):
        return None

    def cancel(self):
        return False

    def add_callback(self, callback):
        return False


class FakeCall:
    """A Subscribe call: headers, then responses, then an error or a clean end."""

    def __init__(self, start_cursor=None, responses=(), error=None):
        self._headers = [(oc.START_CURSOR_HEADER, start_cursor)] if start_cursor else []
        self._responses = list(responses)
        self._error = error
        self.cancelled = False

    def initial_metadata(self):
        return self._headers

    def __iter__(self):
        for response in self._responses:
            if self.cancelled:
                raise FakeRpcError(grpc.StatusCode.CANCELLED, "Locally cancelled")
            yield response
        if self._error is not None:
            raise self._error

    def cancel(self):
        self.cancelled = True


class FakeStub:
    def __init__(self, *calls):
        self._calls = list(calls)
        self.requests = []

    def Subscribe(self, request, **options):
        self.requests.append(request)
        if not self._calls:
            return FakeCall(error=FakeRpcError(grpc.StatusCode.PERMISSION_DENIED, "no more calls"))
        return self._calls.pop(0)


def notice(cursor, notification_id=None, type_=pb.NOTIFICATION_TYPE_ORDER_CREATED):
    return pb.SubscribeResponse(notification=pb.Notification(
        cursor=cursor, notification_id=notification_id or f"n{cursor}", type=type_))


def heartbeat(cursor):
    return pb.SubscribeResponse(heartbeat=pb.Heartbeat(cursor=cursor))


FAST = {"initial_backoff": 0.001, "max_backoff": 0.002}


class RecentIdsTest(unittest.TestCase):
    def test_an_id_is_new_once(self):
        ids = oc.RecentIds(10)
        self.assertTrue(ids.add("a"))
        self.assertFalse(ids.add("a"))
        self.assertTrue(ids.add("b"))
        self.assertEqual(len(ids), 2)

    def test_it_keeps_only_the_most_recent(self):
        ids = oc.RecentIds(3)
        for item in "abcd":
            self.assertTrue(ids.add(item))
        self.assertEqual(len(ids), 3)
        self.assertNotIn("a", ids)
        self.assertFalse(ids.add("d"))
        self.assertTrue(ids.add("a"), "the oldest id was forgotten")


class CursorStoreTest(unittest.TestCase):
    def test_memory_store(self):
        store = oc.MemoryCursorStore()
        self.assertIsNone(store.load())
        store.save("17")
        self.assertEqual(store.load(), "17")
        with self.assertRaises(ValueError):
            store.save("")

    def test_file_store_round_trip_is_atomic(self):
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "seller.cursor")
            store = oc.FileCursorStore(path)
            self.assertIsNone(store.load(), "no file yet: no cursor")
            store.save("41")
            store.save("42")
            self.assertEqual(oc.FileCursorStore(path).load(), "42", "read back by a new store")
            with open(path, encoding="utf-8") as f:
                self.assertEqual(f.read(), "42")
            self.assertEqual(os.listdir(folder), ["seller.cursor"], "no temporary file left")

    def test_file_store_refuses_an_empty_file_instead_of_starting_from_now(self):
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "seller.cursor")
            with open(path, "w", encoding="utf-8") as f:
                f.write("\n")
            with self.assertRaisesRegex(ValueError, "is empty"):
                oc.FileCursorStore(path).load()


class DecodeErrorTest(unittest.TestCase):
    def test_error_info_bad_request_and_precondition_failure(self):
        status = status_pb2.Status(code=3, message="items[0].quantity: must be between 1 and 10000")
        status.details.add().Pack(error_details_pb2.ErrorInfo(
            reason="INVALID_FIELD", domain="orderservice", metadata={"field": "items[0].quantity"}))
        status.details.add().Pack(error_details_pb2.BadRequest(field_violations=[
            error_details_pb2.BadRequest.FieldViolation(field="items[0].quantity",
                                                        description="must be between 1 and 10000"),
            error_details_pb2.BadRequest.FieldViolation(field="currency_code", description="required"),
        ]))
        status.details.add().Pack(error_details_pb2.PreconditionFailure(violations=[
            error_details_pb2.PreconditionFailure.Violation(type="ORDER_PENDING", subject="order",
                                                            description="payment pending"),
        ]))
        error = FakeRpcError(grpc.StatusCode.INVALID_ARGUMENT, status.message, (
            ("content-type", "application/grpc"),
            ("grpc-status-details-bin", status.SerializeToString()),
        ))
        details = oc.decode_error(error)
        self.assertEqual(details.code, grpc.StatusCode.INVALID_ARGUMENT)
        self.assertEqual(details.message, status.message)
        self.assertEqual(details.reason, "INVALID_FIELD")
        self.assertEqual(details.error_info.domain, "orderservice")
        self.assertEqual(details.metadata, {"field": "items[0].quantity"})
        self.assertEqual(details.fields, ("items[0].quantity", "currency_code"))
        self.assertEqual(details.precondition_violations,
                         (oc.PreconditionViolation("ORDER_PENDING", "order", "payment pending"),))

    def test_a_status_made_by_grpc_has_no_details(self):
        details = oc.decode_error(FakeRpcError(grpc.StatusCode.DEADLINE_EXCEEDED, "Deadline Exceeded"))
        self.assertEqual(details.code, grpc.StatusCode.DEADLINE_EXCEEDED)
        self.assertIsNone(details.reason)
        self.assertEqual(details.fields, ())
        self.assertEqual(details.metadata, {})

    def test_a_feed_line_status(self):
        status = status_pb2.Status(code=9, message="order is shipped")
        status.details.add().Pack(error_details_pb2.ErrorInfo(reason="ORDER_SHIPPED", domain="orderservice"))
        details = oc.decode_status(status)
        self.assertEqual(details.code, grpc.StatusCode.FAILED_PRECONDITION)
        self.assertEqual(details.reason, "ORDER_SHIPPED")


class RetryTest(unittest.TestCase):
    def test_retries_keep_the_request_id(self):
        seen = []
        failures = [grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED, grpc.StatusCode.ABORTED]

        def method(request, **options):
            seen.append(request.request_id)
            if failures:
                raise FakeRpcError(failures.pop(0))
            return "done"

        request = orders_pb.CancelOrderRequest(order_id="PY-1")
        self.assertEqual(oc.call_with_retry(method, request, sleep=lambda s: None), "done")
        self.assertEqual(len(seen), 4)
        self.assertEqual(len(set(seen)), 1, "every attempt carries the same request_id")
        self.assertEqual(str(uuid.UUID(seen[0])), seen[0], "a UUID")
        self.assertEqual(request.request_id, seen[0])

    def test_a_given_request_id_is_kept_and_other_codes_are_not_retried(self):
        calls = []

        def method(request, **options):
            calls.append(request.request_id)
            raise FakeRpcError(grpc.StatusCode.FAILED_PRECONDITION)

        request = orders_pb.CancelOrderRequest(request_id="mine")
        with self.assertRaises(grpc.RpcError):
            oc.call_with_retry(method, request, sleep=lambda s: None)
        self.assertEqual(calls, ["mine"])

    def test_gives_up_after_the_attempts(self):
        calls = []

        def method(request, **options):
            calls.append(1)
            raise FakeRpcError(grpc.StatusCode.UNAVAILABLE)

        with self.assertRaises(grpc.RpcError):
            oc.call_with_retry(method, orders_pb.GetOrderRequest(order_id="x"), attempts=3,
                               sleep=lambda s: None)
        self.assertEqual(len(calls), 3)


class SubscriberAlgorithmTest(unittest.TestCase):
    def test_cursor_saved_only_after_the_application_processed_the_notice(self):
        stub = FakeStub(
            FakeCall("5", [notice("6"), heartbeat("7")]),  # a clean end: reconnect
            FakeCall("7", [], FakeRpcError(grpc.StatusCode.OUT_OF_RANGE, "pruned")),
        )
        store = oc.MemoryCursorStore()
        subscription = oc.subscribe(stub, pb.SubscribeRequest(order_ids=["A"]), store, **FAST)
        first = next(subscription)
        self.assertEqual(first.cursor, "6")
        self.assertEqual(store.load(), "5", "the start cursor, not yet the notice being processed")
        with self.assertRaises(oc.SubscriptionError) as raised:
            next(subscription)
        self.assertEqual(raised.exception.code, grpc.StatusCode.OUT_OF_RANGE)
        self.assertEqual(store.load(), "7", "the notice's then the heartbeat's cursor")
        self.assertEqual([r.resume_after for r in stub.requests], ["", "7"])
        self.assertEqual(list(stub.requests[1].order_ids), ["A"])

    def test_a_replayed_notice_is_handed_over_once(self):
        class LosesCursor3(oc.MemoryCursorStore):
            def save(self, cursor):
                if cursor != "3":  # the last write before the reconnect is lost
                    super().save(cursor)

        stub = FakeStub(
            FakeCall("1", [notice("2", "a"), notice("3", "b")], FakeRpcError(grpc.StatusCode.UNAVAILABLE)),
            FakeCall("2", [notice("3", "b"), notice("4", "c")],
                     FakeRpcError(grpc.StatusCode.PERMISSION_DENIED, "denied")),
        )
        subscription = oc.subscribe(stub, pb.SubscribeRequest(), LosesCursor3(), **FAST)
        received = []
        with self.assertRaises(oc.SubscriptionError):
            for n in subscription:
                received.append(n.notification_id)
        self.assertEqual(stub.requests[1].resume_after, "2", "resumed from the older cursor")
        self.assertEqual(received, ["a", "b", "c"])
        self.assertEqual(subscription.duplicates_skipped, 1)
        self.assertEqual(subscription.reconnects, 1)

    def test_the_start_cursor_does_not_replace_a_stored_one(self):
        stub = FakeStub(FakeCall("9", [], FakeRpcError(grpc.StatusCode.UNAUTHENTICATED)))
        store = oc.MemoryCursorStore("3")
        with self.assertRaises(oc.SubscriptionError):
            next(oc.subscribe(stub, pb.SubscribeRequest(), store, **FAST))
        self.assertEqual(stub.requests[0].resume_after, "3")
        self.assertEqual(store.load(), "3")

    def test_reconnects_on_retryable_codes(self):
        codes = [grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.RESOURCE_EXHAUSTED,
                 grpc.StatusCode.INTERNAL, grpc.StatusCode.CANCELLED, grpc.StatusCode.DEADLINE_EXCEEDED]
        stub = FakeStub(*[FakeCall(None, [], FakeRpcError(code)) for code in codes],
                        FakeCall("1", [notice("2")]))
        subscription = oc.subscribe(stub, pb.SubscribeRequest(), oc.MemoryCursorStore(), **FAST)
        self.assertEqual(next(subscription).cursor, "2")
        self.assertEqual(subscription.reconnects, len(codes))
        self.assertEqual(set(subscription.end_codes), set(codes))
        subscription.close()

    def test_a_call_that_ends_without_headers_does_not_hang(self):
        # grpcio 1.51 can end a call whose headers never complete; its initial_metadata()
        # then waits forever. The subscriber waits on the call's state instead.
        class EndedWithoutHeaders(FakeCall):
            def __init__(self):
                super().__init__(error=FakeRpcError(grpc.StatusCode.UNAVAILABLE, "GOAWAY"))
                self._state = type("State", (), {})()
                self._state.condition = threading.Condition()
                self._state.initial_metadata = None
                self._state.code = grpc.StatusCode.UNAVAILABLE

            def initial_metadata(self):
                raise AssertionError("initial_metadata() would wait forever")

        stub = FakeStub(EndedWithoutHeaders(), FakeCall("1", [notice("2")]))
        subscription = oc.subscribe(stub, pb.SubscribeRequest(), oc.MemoryCursorStore(), **FAST)
        self.assertEqual(next(subscription).cursor, "2")
        self.assertEqual(subscription.end_codes[grpc.StatusCode.UNAVAILABLE], 1)
        subscription.close()

    def test_stopping_while_processing_stores_nothing_more(self):
        call = FakeCall("1", [notice("2"), notice("3")])
        stub = FakeStub(call)
        store = oc.MemoryCursorStore()
        subscription = oc.subscribe(stub, pb.SubscribeRequest(), store, **FAST)
        received = []
        for n in subscription:
            received.append(n.cursor)
            subscription.cancel()  # as another thread would; the loop ends at the next pull
        self.assertEqual(received, ["2"])
        self.assertEqual(store.load(), "1")
        self.assertTrue(call.cancelled)

    def test_closing_cancels_the_call(self):
        call = FakeCall("1", [notice("2"), notice("3")])
        subscription = oc.subscribe(FakeStub(call), pb.SubscribeRequest(), oc.MemoryCursorStore(), **FAST)
        next(subscription)
        subscription.close()
        self.assertTrue(call.cancelled)
        with self.assertRaises(StopIteration):
            next(subscription)

    def test_a_stop_event_ends_the_backoff(self):
        stop = threading.Event()
        stub = FakeStub(FakeCall(None, [], FakeRpcError(grpc.StatusCode.UNAVAILABLE)))
        subscription = oc.subscribe(stub, pb.SubscribeRequest(), oc.MemoryCursorStore(), stop=stop,
                                    initial_backoff=60, max_backoff=60)
        threading.Timer(0.2, stop.set).start()
        thread = threading.Thread(target=lambda: list(subscription), daemon=True)
        thread.start()
        thread.join(10)
        self.assertFalse(thread.is_alive())


if __name__ == "__main__":
    unittest.main()
