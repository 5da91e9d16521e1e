"""Shared helpers of the tests: the import path, the test server and its tokens, and a
subscriber consumed on a thread so that every wait is bounded."""

import os
import queue
import subprocess
import sys
import threading
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import orderservice_client as oc  # noqa: E402

from google.protobuf import timestamp_pb2  # noqa: E402
from google.type import money_pb2  # noqa: E402
from orderservice.v1 import order_service_pb2 as orders_pb  # noqa: E402
from orderservice.v1 import types_pb2  # noqa: E402

WAIT = 30.0  # seconds: the longest any test waits for anything
RUN = uuid.uuid4().hex[:8].upper()
SELLER_ID = f"SELLER-PY-{RUN}"
BUYER_ID = f"BUYER-PY-{RUN}"

_order_numbers = iter(range(1, 1_000_000))


def new_order_id():
    return f"PY-{RUN}-{next(_order_numbers)}"


def _env(name):
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set: run the tests with clients/python/test.sh")
    return value


def server_url():
    return _env("ORDERSERVICE_TEST_URL")


def test_server(*args, timeout=90):
    """Runs scripts/test-server with ``args``; returns its stdout's last line."""
    done = subprocess.run([_env("ORDERSERVICE_TEST_SERVER"), *args], capture_output=True,
                          text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"test-server {' '.join(args)} failed ({done.returncode}): {done.stderr}")
    lines = done.stdout.strip().splitlines()
    return lines[-1] if lines else ""


_tokens = {}
_tokens_lock = threading.Lock()


def token(role, identity):
    """A token of the test server's signing key, minted once per run (about 0.5 s each)."""
    with _tokens_lock:
        if (role, identity) not in _tokens:
            _tokens[(role, identity)] = test_server("token", role, identity, timeout=60)
        return _tokens[(role, identity)]


def marketplace():
    return oc.connect(server_url(), token("marketplace", "intake-py"))


def seller():
    return oc.connect(server_url(), token("seller", SELLER_ID))


def buyer():
    return oc.connect(server_url(), token("buyer", BUYER_ID))


def _timestamp(seconds):
    stamp = timestamp_pb2.Timestamp()
    stamp.FromSeconds(int(seconds))
    return stamp


def jpy(units):
    return money_pb2.Money(currency_code="JPY", units=units)


def create_order_request(order_id, quantity=2, price=1200):
    now = time.time()
    return orders_pb.CreateOrderRequest(
        order_id=order_id,
        seller_id=SELLER_ID,
        buyer_id=BUYER_ID,
        currency_code="JPY",
        purchase_time=_timestamp(now - 3600),
        latest_ship_time=_timestamp(now + 3 * 86400),
        items=[orders_pb.NewOrderItem(
            order_item_id="ITEM-1",
            sku="SKU-TEA-1",
            title="Sencha 100 g",
            quantity=quantity,
            unit_charges=[types_pb2.ChargeAmount(
                component=types_pb2.CHARGE_COMPONENT_PRINCIPAL, amount=jpy(price))],
        )],
    )


def authorize_payment_request(order_id):
    return orders_pb.AuthorizePaymentRequest(
        order_id=order_id,
        shipping_address=types_pb2.ShippingAddress(
            recipient_name="Hanako Yamada",
            address_lines=["1-2-3 Jingumae", "Room 401"],
            locality="Shibuya-ku",
            administrative_area="Tokyo",
            postal_code="150-0001",
            region_code="JP",
        ),
        buyer_contact=types_pb2.BuyerContact(name="Hanako Yamada",
                                            email="hanako@relay.example.jp"),
    )


def wait_until(predicate, what, timeout=WAIT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


class Consumer:
    """The application side of a subscriber: a thread iterates the subscription and
    records each notice it is handed (that is its processing); the test reads them from
    a queue with a timeout, so a failing test never hangs."""

    def __init__(self, name, subscription):
        self.name = name
        self.subscription = subscription
        self.received = []
        self.error = None
        self._queue = queue.Queue()
        self._thread = threading.Thread(target=self._run, name=f"consumer-{name}", daemon=True)
        self._thread.start()

    def _run(self):
        try:
            for notice in self.subscription:
                self.received.append(notice)
                self._queue.put(notice)
        except BaseException as error:  # handed to the test thread
            self.error = error
            self._queue.put(error)

    def next(self, timeout=WAIT):
        try:
            item = self._queue.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"{self.name}: no notice within {timeout:.0f} s "
                                 f"(received so far: {self.types()})") from None
        if isinstance(item, BaseException):
            raise AssertionError(f"{self.name}: the subscriber failed: {item!r}") from item
        return item

    def expect(self, *types, timeout=WAIT):
        """The next notices, which must be of ``types`` in that order."""
        notices = [self.next(timeout) for _ in types]
        got = [n.type for n in notices]
        if got != list(types):
            raise AssertionError(f"{self.name}: expected {names(types)}, got {names(got)}")
        return notices

    def assert_nothing_more(self, wait=1.5):
        """Nothing else arrives within ``wait`` (heartbeats come every second)."""
        try:
            item = self._queue.get(timeout=wait)
        except queue.Empty:
            return
        raise AssertionError(f"{self.name}: unexpected {item!r}")

    def types(self):
        return names(n.type for n in self.received)

    def stop(self):
        self.subscription.cancel()
        self._thread.join(10)
        if self._thread.is_alive():
            raise AssertionError(f"{self.name}: the subscriber did not stop within 10 s")


def names(types):
    from orderservice.v1 import notification_service_pb2 as pb
    return [pb.NotificationType.Name(t).replace("NOTIFICATION_TYPE_", "") for t in types]
