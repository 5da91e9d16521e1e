// The scenario every language's tests show (clients/README.md, "What every language's
// tests show"), against a real server: intake, a seller's and a buyer's resumable
// subscriber across a server restart, a cursor store that lost its last write, and a
// refused call's decoded details. The tests run in order and share the order and the
// subscribers of this run.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { equals } from "@bufbuild/protobuf";
import {
  callWithRetry,
  Code,
  ConnectError,
  CreateOrderResponseSchema,
  createOrderServiceClients,
  decodeError,
  FileCursorStore,
  GetOrderRequestSchema,
  create,
  MemoryCursorStore,
  NotificationType,
  OrderServiceError,
  OrderStatus,
  subscribe,
  type CallOptions,
  type CreateOrderRequest,
  type CreateOrderResponse,
  type CursorStore,
  type Notification,
  type OrderServiceClients,
  type ReconnectInfo,
  type SubscribeClient,
  type SubscribeRequest,
  type SubscribeResponse,
  type SubscriptionFilter,
} from "../src/index.js";
import {
  authorizePayment,
  cancelOrder,
  delay,
  harness,
  mintToken,
  newOrder,
  restartServer,
  runId,
  waitFor,
} from "./harness.js";

const { CREATED, PAID, CANCELED } = {
  CREATED: NotificationType.ORDER_CREATED,
  PAID: NotificationType.PAYMENT_AUTHORIZED,
  CANCELED: NotificationType.ORDER_CANCELED,
};

/** An application that takes every notice a subscriber hands it, until stopped. */
class Application {
  readonly received: Notification[] = [];
  readonly reconnects: ReconnectInfo[] = [];
  error: unknown;
  private readonly controller = new AbortController();
  private readonly done: Promise<void>;

  constructor(client: SubscribeClient, filter: SubscriptionFilter, readonly store: CursorStore) {
    const notices = subscribe(client, filter, {
      store,
      signal: this.controller.signal,
      onReconnect: (info) => this.reconnects.push(info),
    });
    this.done = (async () => {
      try {
        for await (const notice of notices) {
          this.received.push(notice);
        }
      } catch (err) {
        this.error = err;
      }
    })();
  }

  types(): NotificationType[] {
    return this.received.map((n) => n.type);
  }

  /** Waits until the application holds `types`, failing at once if the subscriber threw. */
  async waitForTypes(who: string, types: NotificationType[]): Promise<void> {
    await waitFor(`${who} to receive ${types.map((t) => NotificationType[t]).join(", ")} (has ${this.describe()})`, () => {
      if (this.error) {
        throw this.error;
      }
      return this.received.length >= types.length;
    });
    assert.deepEqual(this.types().map((t) => NotificationType[t]), types.map((t) => NotificationType[t]), `${who} received`);
  }

  async waitForStartCursor(who: string): Promise<string> {
    let cursor: string | undefined;
    await waitFor(`${who}'s start cursor to be stored`, async () => {
      if (this.error) {
        throw this.error;
      }
      cursor = await this.store.load();
      return cursor !== undefined;
    });
    return cursor!;
  }

  describe(): string {
    return `[${this.types().map((t) => NotificationType[t]).join(", ")}]`;
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await this.done;
  }
}

/** Passes a client's stream through, recording what came over the wire, and can drop
 * the connection (the next message fails with UNAVAILABLE instead) on demand. */
class TappedClient implements SubscribeClient {
  readonly requests: SubscribeRequest[] = [];
  readonly wire: Notification[] = [];
  private dropRequested = false;

  constructor(private readonly inner: SubscribeClient) {}

  dropConnection(): void {
    this.dropRequested = true;
  }

  async *subscribe(request: SubscribeRequest, options?: CallOptions): AsyncGenerator<SubscribeResponse> {
    this.requests.push(request);
    for await (const message of this.inner.subscribe(request, options)) {
      if (this.dropRequested) {
        this.dropRequested = false;
        throw new ConnectError("connection dropped by the test", Code.Unavailable);
      }
      if (message.kind.case === "notification") {
        this.wire.push(message.kind.value);
      }
      yield message;
    }
  }
}

/** A cursor store whose disk loses writes: from `loseWritesFrom(cursor)` on it holds the
 * cursor saved before that one and drops every save, until `recover()`. */
class LostWriteStore implements CursorStore {
  readonly saves: string[] = [];
  private cursor: string | undefined;
  private losing = false;

  load(): string | undefined {
    return this.cursor;
  }

  save(cursor: string): void {
    this.saves.push(cursor);
    if (!this.losing) {
      this.cursor = cursor;
    }
  }

  loseWritesFrom(cursor: string): string {
    const index = this.saves.indexOf(cursor);
    assert.ok(index > 0, `the store saved ${cursor} after an earlier cursor`);
    this.cursor = this.saves[index - 1];
    this.losing = true;
    return this.cursor!;
  }

  recover(): void {
    this.losing = false;
  }
}

function countOf(notices: Notification[], id: string): number {
  return notices.filter((n) => n.notificationId === id).length;
}

describe("OrderService scenario (real server)", () => {
  const id = runId();
  const sellerId = `SELLER-TS-${id}`;
  const buyerId = `BUYER-TS-${id}`;
  const orderId = `TS-${id}-1`;
  let marketplace: OrderServiceClients;
  let seller: OrderServiceClients;
  let buyer: OrderServiceClients;
  let sellerApp: Application;
  let buyerApp: Application;
  let stateDir: string;
  const apps: Application[] = [];

  before(async () => {
    const { url } = harness();
    const [marketplaceToken, sellerToken, buyerToken] = await Promise.all([
      mintToken("marketplace", `intake-ts-${id}`),
      mintToken("seller", sellerId),
      mintToken("buyer", buyerId),
    ]);
    marketplace = createOrderServiceClients(url, marketplaceToken);
    seller = createOrderServiceClients(url, sellerToken);
    buyer = createOrderServiceClients(url, buyerToken);
    stateDir = await mkdtemp(join(tmpdir(), "orderservice-ts-"));
    // Subscribed (start cursor stored) before the intake: the seller's place in a file,
    // the buyer's in memory.
    sellerApp = new Application(seller.notifications, { orderIds: [orderId] }, new FileCursorStore(join(stateDir, "seller.cursor")));
    buyerApp = new Application(buyer.notifications, { orderIds: [orderId] }, new MemoryCursorStore());
    apps.push(sellerApp, buyerApp);
    await Promise.all([sellerApp.waitForStartCursor("seller"), buyerApp.waitForStartCursor("buyer")]);
  });

  after(async () => {
    await Promise.all(apps.map((app) => app.stop()));
    if (stateDir) {
      await rm(stateDir, { recursive: true, force: true });
    }
  });

  test("1. intake: CreateOrder (its first answer lost, retried with the same request_id) and AuthorizePayment", async () => {
    // The first attempt reaches the server but its answer is "lost" (UNAVAILABLE): the
    // retry must carry the same request_id and get the first answer, not ALREADY_EXISTS.
    const attempts: { requestId: string; answer?: CreateOrderResponse }[] = [];
    const lossy = async (request: CreateOrderRequest, options?: CallOptions) => {
      const answer = await marketplace.orders.createOrder(request, options);
      attempts.push({ requestId: request.requestId, answer });
      if (attempts.length === 1) {
        throw new ConnectError("answer lost on the way back", Code.Unavailable);
      }
      return answer;
    };
    const created = await callWithRetry(lossy, newOrder(orderId, sellerId, buyerId));
    assert.equal(attempts.length, 2, "one retry");
    assert.match(attempts[0].requestId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(attempts[1].requestId, attempts[0].requestId, "the retry keeps the request_id");
    assert.ok(equals(CreateOrderResponseSchema, created, attempts[0].answer!), "the retry answers with the first answer");
    assert.equal(created.order?.orderId, orderId);
    assert.equal(created.order?.status, OrderStatus.PENDING);

    const paid = await callWithRetry(marketplace.orders.authorizePayment, authorizePayment(orderId));
    assert.equal(paid.order?.status, OrderStatus.UNSHIPPED);
    assert.equal(paid.order?.shippingAddress?.regionCode, "JP");
  });

  test("2. subscribers: the seller receives ORDER_CREATED and PAYMENT_AUTHORIZED, the buyer ORDER_CREATED", async () => {
    await sellerApp.waitForTypes("seller", [CREATED, PAID]);
    await buyerApp.waitForTypes("buyer", [CREATED]);
    for (const notice of [...sellerApp.received, ...buyerApp.received]) {
      assert.equal(notice.orderId, orderId);
    }
    // The seller's application pulled past ORDER_CREATED: its cursor (or a later one) is on disk.
    const stored = await sellerApp.store.load();
    assert.ok(stored !== undefined && stored !== "");
  });

  test("3. restart: both subscribers resume; ORDER_CANCELED reaches each once, in order, none lost", async () => {
    await restartServer();
    const canceled = await callWithRetry(seller.orders.cancelOrder, cancelOrder(orderId));
    assert.equal(canceled.order?.status, OrderStatus.CANCELED);

    await sellerApp.waitForTypes("seller", [CREATED, PAID, CANCELED]);
    await buyerApp.waitForTypes("buyer", [CREATED, CANCELED]);
    await delay(1500); // a duplicate would arrive within a heartbeat or two
    assert.deepEqual(sellerApp.types(), [CREATED, PAID, CANCELED], `seller received ${sellerApp.describe()}`);
    assert.deepEqual(buyerApp.types(), [CREATED, CANCELED], `buyer received ${buyerApp.describe()}`);
    for (const app of [sellerApp, buyerApp]) {
      const ids = app.received.map((n) => n.notificationId);
      assert.equal(new Set(ids).size, ids.length, "no notice handed over twice");
      const cursors = app.received.map((n) => BigInt(n.cursor));
      assert.ok(cursors.every((c, i) => i === 0 || c > cursors[i - 1]), "in cursor order");
      // The stream really broke: the server's shutdown (UNAVAILABLE) made it reconnect.
      assert.ok(
        app.reconnects.some((r) => r.error?.code === Code.Unavailable),
        `reconnected after UNAVAILABLE (saw ${JSON.stringify(app.reconnects.map((r) => r.error?.codeName ?? "end"))})`,
      );
    }
  });

  test("4. a cursor store that lost its last write: the replayed notice reaches the application once", async () => {
    const lostOrderId = `TS-${id}-2`;
    const tapped = new TappedClient(seller.notifications);
    const store = new LostWriteStore();
    const app = new Application(tapped, { orderIds: [lostOrderId] }, store);
    apps.push(app);
    await app.waitForStartCursor("seller (lossy store)");

    await callWithRetry(marketplace.orders.createOrder, newOrder(lostOrderId, sellerId, buyerId));
    await callWithRetry(marketplace.orders.authorizePayment, authorizePayment(lostOrderId));
    await app.waitForTypes("seller (lossy store)", [CREATED, PAID]);
    const [createdNotice, paidNotice] = app.received;
    await waitFor("ORDER_CREATED's cursor to be saved", () => store.saves.includes(createdNotice.cursor));

    // The write of ORDER_CREATED's cursor (and all after it) is lost; the connection drops.
    const olderCursor = store.loseWritesFrom(createdNotice.cursor);
    tapped.dropConnection();
    await waitFor("the server to replay ORDER_CREATED and PAYMENT_AUTHORIZED", () =>
      countOf(tapped.wire, createdNotice.notificationId) === 2 && countOf(tapped.wire, paidNotice.notificationId) === 2,
    );
    store.recover();
    assert.equal(tapped.requests.length, 2, "one reconnect");
    assert.equal(tapped.requests[1].resumeAfter, olderCursor, "resumed from the older cursor");

    await callWithRetry(seller.orders.cancelOrder, cancelOrder(lostOrderId));
    await app.waitForTypes("seller (lossy store)", [CREATED, PAID, CANCELED]);
    await delay(1500);
    assert.deepEqual(app.types(), [CREATED, PAID, CANCELED], `the application received ${app.describe()}`);
    assert.equal(countOf(app.received, createdNotice.notificationId), 1);
    assert.equal(countOf(app.received, paidNotice.notificationId), 1);
    await app.stop();
  });

  test("5. a refused call: INVALID_ARGUMENT, ErrorInfo INVALID_FIELD, BadRequest naming the field", async () => {
    const badOrderId = `TS-${id}-3`;
    const request = newOrder(badOrderId, sellerId, buyerId);
    request.items[0].quantity = 0;
    const retries: unknown[] = [];
    const error = await callWithRetry(marketplace.orders.createOrder, request, { onRetry: (r) => retries.push(r) }).then(
      () => assert.fail("CreateOrder with quantity 0 was accepted"),
      (err: unknown) => err,
    );
    assert.equal(retries.length, 0, "INVALID_ARGUMENT is not retried");
    const decoded = decodeError(error);
    assert.equal(decoded.code, Code.InvalidArgument);
    assert.equal(decoded.codeName, "INVALID_ARGUMENT");
    assert.equal(decoded.errorInfo?.reason, "INVALID_FIELD");
    assert.equal(decoded.errorInfo?.domain, "orderservice");
    assert.equal(decoded.errorInfo?.metadata.field, "items[0].quantity");
    assert.deepEqual(decoded.badRequest?.fieldViolations.map((v) => v.field), ["items[0].quantity"]);
    assert.ok(decoded.badRequest!.fieldViolations[0].description.length > 0);

    // A refused request changes nothing: the order does not exist.
    const lookup = await marketplace.orders.getOrder(create(GetOrderRequestSchema, { orderId: badOrderId })).then(
      () => undefined,
      (err: unknown) => decodeError(err),
    );
    assert.equal(lookup?.code, Code.NotFound);
  });

  test("the subscriber raises what retrying cannot fix, with its details", async () => {
    // A cursor beyond the log (another database's, say): OUT_OF_RANGE CURSOR_AHEAD_OF_LOG.
    const reconnects: ReconnectInfo[] = [];
    const ahead = subscribe(seller.notifications, {}, {
      store: new MemoryCursorStore("9000000000000000000"),
      onReconnect: (r) => reconnects.push(r),
    });
    const error = await ahead.next().then(() => assert.fail("subscribed after a foreign cursor"), (err: unknown) => err);
    assert.ok(error instanceof OrderServiceError);
    assert.equal(error.code, Code.OutOfRange);
    assert.equal(error.reason, "CURSOR_AHEAD_OF_LOG");
    assert.match(error.errorInfo?.metadata.newest_cursor ?? "", /^\d+$/);
    assert.equal(reconnects.length, 0);

    // The marketplace receives no notices: PERMISSION_DENIED, raised at once.
    const denied = await subscribe(marketplace.notifications, {}, { store: new MemoryCursorStore() })
      .next()
      .then(() => assert.fail("the marketplace subscribed"), (err: unknown) => decodeError(err));
    assert.equal(denied.code, Code.PermissionDenied);
    assert.equal(denied.errorInfo?.reason, "ROLE_NOT_ALLOWED");
  });
});
