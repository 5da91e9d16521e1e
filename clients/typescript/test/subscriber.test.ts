// Unit tests of the helpers, without a server: the subscriber against a scripted client,
// the backoff, the dedup set, the cursor stores, the retry helper and the error decoder.
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import {
  BACKOFF_MAX_MS,
  backoffDelayMs,
  BadRequestSchema,
  callWithRetry,
  Code,
  ConnectError,
  create,
  decodeError,
  ErrorInfoSchema,
  FileCursorStore,
  isReconnectable,
  MemoryCursorStore,
  NotificationType,
  OrderServiceError,
  PreconditionFailureSchema,
  RecentIds,
  START_CURSOR_HEADER,
  subscribe,
  SubscribeResponseSchema,
  withRequestId,
  type CallOptions,
  type Notification,
  type ReconnectInfo,
  type SubscribeClient,
  type SubscribeRequest,
  type SubscribeResponse,
} from "../src/index.js";

function notice(n: number, id = `N${n}`): SubscribeResponse {
  return create(SubscribeResponseSchema, {
    kind: {
      case: "notification",
      value: { cursor: String(n), notificationId: id, type: NotificationType.ORDER_CREATED, orderId: "O" },
    },
  });
}

function heartbeat(cursor: string): SubscribeResponse {
  return create(SubscribeResponseSchema, { kind: { case: "heartbeat", value: { cursor } } });
}

type Step = SubscribeResponse | ConnectError;

/** One call of the scripted server: its start-cursor header (none: the call is refused
 * before headers with the first step, which must be an error), then its steps; a call
 * whose steps run out ends cleanly, unless `hang` keeps it open until cancelled. */
interface Call {
  header?: string;
  steps: Step[];
  hang?: boolean;
}

class ScriptedClient implements SubscribeClient {
  readonly requests: SubscribeRequest[] = [];
  readonly signals: AbortSignal[] = [];

  constructor(private readonly calls: Call[]) {}

  async *subscribe(request: SubscribeRequest, options?: CallOptions): AsyncGenerator<SubscribeResponse> {
    this.requests.push(request);
    if (options?.signal) {
      this.signals.push(options.signal);
    }
    const call = this.calls.shift() ?? { header: request.resumeAfter || "0", steps: [], hang: true };
    if (call.header === undefined) {
      throw call.steps[0];
    }
    options?.onHeader?.(new Headers({ [START_CURSOR_HEADER]: call.header }));
    for (const step of call.steps) {
      await Promise.resolve();
      if (step instanceof ConnectError) {
        throw step;
      }
      yield step;
    }
    if (call.hang) {
      await new Promise<void>((_, reject) => {
        const cancel = () => reject(new ConnectError("cancelled", Code.Canceled));
        if (options?.signal?.aborted) cancel();
        options?.signal?.addEventListener("abort", cancel, { once: true });
      });
    }
  }
}

/** A store that records every save. */
class RecordingStore extends MemoryCursorStore {
  readonly saves: string[] = [];

  override save(cursor: string): void {
    this.saves.push(cursor);
    super.save(cursor);
  }
}

const unavailable = () => new ConnectError("server shutting down", Code.Unavailable);

async function take(iterator: AsyncGenerator<Notification, void, undefined>, count: number): Promise<Notification[]> {
  const taken: Notification[] = [];
  while (taken.length < count) {
    const next = await iterator.next();
    assert.ok(!next.done, `the iteration ended after ${taken.length} notices`);
    taken.push(next.value);
  }
  return taken;
}

describe("subscribe (scripted server)", () => {
  test("stores the start cursor from the headers before any message when it has none", async () => {
    const store = new RecordingStore();
    const client = new ScriptedClient([{ header: "5", steps: [unavailable()] }]);
    const controller = new AbortController();
    const notices = subscribe(client, { orderIds: ["O"] }, { store, signal: controller.signal });
    const pending = notices.next();
    await waitUntil(() => client.requests.length === 2);
    controller.abort();
    assert.deepEqual(await pending, { done: true, value: undefined });
    assert.deepEqual(store.saves, ["5"], "the start cursor, saved although no message came");
    assert.equal(client.requests[0].resumeAfter, "", "first call: from now");
    assert.deepEqual(client.requests[0].orderIds, ["O"]);
    assert.equal(client.requests[1].resumeAfter, "5", "the reconnect resumes after the start cursor");
  });

  test("keeps a stored cursor: resumes after it and does not overwrite it with the header", async () => {
    const store = new RecordingStore("7");
    const client = new ScriptedClient([{ header: "7", steps: [notice(8)], hang: true }]);
    const notices = subscribe(client, {}, { store });
    await take(notices, 1);
    assert.equal(client.requests[0].resumeAfter, "7");
    assert.deepEqual(store.saves, []);
    await notices.return();
  });

  test("saves a notice's cursor only when the application asks for the next one", async () => {
    const store = new RecordingStore();
    const client = new ScriptedClient([{ header: "1", steps: [notice(2), notice(3)], hang: true }]);
    const notices = subscribe(client, {}, { store });
    const [first] = await take(notices, 1);
    assert.equal(first.cursor, "2");
    assert.equal(store.load(), "1", "not saved while the application holds it");
    await take(notices, 1);
    assert.equal(store.load(), "2", "saved once the application pulled the next");
    await notices.return();
    assert.equal(store.load(), "2", "breaking out saves nothing more");
    assert.ok(client.signals[0].aborted, "breaking out cancels the call");
  });

  test("saves heartbeat cursors", async () => {
    const store = new RecordingStore("1");
    const client = new ScriptedClient([{ header: "1", steps: [heartbeat("4"), heartbeat("9"), notice(10)], hang: true }]);
    const notices = subscribe(client, {}, { store });
    await take(notices, 1);
    assert.deepEqual(store.saves, ["4", "9"]);
    await notices.return();
  });

  test("hands a notice replayed after a reconnect to the application once", async () => {
    const store = new RecordingStore("1");
    const client = new ScriptedClient([
      { header: "1", steps: [notice(2), notice(3), unavailable()] },
      // The server replays from an older cursor (the store lost a write).
      { header: "1", steps: [notice(2), notice(3), notice(4)], hang: true },
    ]);
    const notices = subscribe(client, {}, { store });
    const received = await take(notices, 3);
    assert.deepEqual(received.map((n) => n.notificationId), ["N2", "N3", "N4"]);
    assert.equal(client.requests.length, 2);
    assert.equal(store.load(), "3", "the replays' cursors are saved too");
    await notices.return();
  });

  test("forgets the oldest ids beyond its dedup capacity", async () => {
    const store = new RecordingStore("0");
    const client = new ScriptedClient([
      { header: "0", steps: [notice(1), notice(2), notice(3), unavailable()] },
      { header: "0", steps: [notice(1), notice(3), notice(4)], hang: true },
    ]);
    const notices = subscribe(client, {}, { store, dedupCapacity: 2 });
    const received = await take(notices, 5);
    // N1 was forgotten (capacity 2: N2, N3 remembered), so its replay is handed over again.
    assert.deepEqual(received.map((n) => n.notificationId), ["N1", "N2", "N3", "N1", "N4"]);
    await notices.return();
  });

  test("reconnects with backoff that resets after a message", async () => {
    const reconnects: ReconnectInfo[] = [];
    const client = new ScriptedClient([
      { steps: [unavailable()] }, // refused before headers (connection refused)
      { steps: [new ConnectError("too slow", Code.ResourceExhausted)] },
      { header: "1", steps: [notice(2)] }, // then a clean end
      { header: "2", steps: [new ConnectError("reset", Code.Internal)] },
    ]);
    const controller = new AbortController();
    const notices = subscribe(client, {}, {
      store: new MemoryCursorStore("1"),
      signal: controller.signal,
      onReconnect: (r) => reconnects.push(r),
    });
    await take(notices, 1);
    // A pending next() holds the generator: stopping it then is the signal's job.
    const next = notices.next();
    await waitUntil(() => client.requests.length === 5);
    controller.abort();
    assert.deepEqual(await next, { done: true, value: undefined });
    assert.deepEqual(reconnects.map((r) => r.attempt), [0, 1, 0, 1]);
    assert.deepEqual(reconnects.map((r) => r.error?.codeName), ["UNAVAILABLE", "RESOURCE_EXHAUSTED", undefined, "INTERNAL"]);
    for (const r of reconnects) {
      assert.ok(r.delayMs >= 80 * 2 ** r.attempt && r.delayMs <= 120 * 2 ** r.attempt, `delay ${r.delayMs} for attempt ${r.attempt}`);
    }
  });

  test("raises OUT_OF_RANGE with its decoded details and does not reconnect", async () => {
    const pruned = new ConnectError("cursor pruned", Code.OutOfRange, undefined, [
      {
        desc: ErrorInfoSchema,
        value: { reason: "CURSOR_PRUNED", domain: "orderservice", metadata: { oldest_resume_after: "42" } },
      },
    ]);
    const client = new ScriptedClient([{ steps: [pruned] }]);
    const reconnects: ReconnectInfo[] = [];
    const error = await subscribe(client, {}, { store: new MemoryCursorStore("3"), onReconnect: (r) => reconnects.push(r) })
      .next()
      .then(() => assert.fail("no error"), (err: unknown) => err);
    assert.ok(error instanceof OrderServiceError);
    assert.equal(error.code, Code.OutOfRange);
    assert.equal(error.reason, "CURSOR_PRUNED");
    assert.equal(error.errorInfo?.metadata.oldest_resume_after, "42");
    assert.equal(error.cause, pruned);
    assert.equal(reconnects.length, 0);
    assert.equal(client.requests.length, 1);
  });

  test("aborting the signal ends the iteration and saves nothing more", async () => {
    const store = new RecordingStore("1");
    const controller = new AbortController();
    const client = new ScriptedClient([{ header: "1", steps: [notice(2)], hang: true }]);
    const notices = subscribe(client, {}, { store, signal: controller.signal });
    await take(notices, 1);
    controller.abort();
    assert.deepEqual(await notices.next(), { done: true, value: undefined });
    assert.deepEqual(store.saves, []);
  });

  test("sorts codes into reconnect and raise", () => {
    const local = (code: Code) => new ConnectError("x", code);
    const wire = (code: Code) => Object.assign(new ConnectError("x", code), { isWireError: true });
    for (const code of [Code.Unavailable, Code.ResourceExhausted, Code.DeadlineExceeded, Code.Canceled]) {
      assert.equal(isReconnectable(wire(code)), true, Code[code]);
    }
    assert.equal(isReconnectable(local(Code.Internal)), true, "a reset stream");
    assert.equal(isReconnectable(local(Code.Aborted)), true, "a reset connection");
    assert.equal(isReconnectable(wire(Code.Internal)), false, "a server fault");
    for (const code of [Code.OutOfRange, Code.Unauthenticated, Code.PermissionDenied, Code.InvalidArgument, Code.NotFound]) {
      assert.equal(isReconnectable(wire(code)), false, Code[code]);
    }
  });
});

describe("backoff", () => {
  test("starts near 100 ms, doubles, and never exceeds 5 s", () => {
    for (const random of [0, 0.5, 0.999999]) {
      assert.ok(backoffDelayMs(0, () => random) >= 80 && backoffDelayMs(0, () => random) <= 120);
      assert.equal(backoffDelayMs(3, () => 0.5), 800);
      for (let attempt = 0; attempt < 40; attempt++) {
        assert.ok(backoffDelayMs(attempt, () => random) <= BACKOFF_MAX_MS);
      }
      assert.ok(backoffDelayMs(100, () => random) >= 4_000);
    }
  });
});

describe("RecentIds", () => {
  test("remembers ids up to its capacity, forgetting the oldest", () => {
    const ids = new RecentIds(3);
    assert.equal(ids.add("a"), true);
    assert.equal(ids.add("a"), false);
    ids.add("b");
    ids.add("c");
    ids.add("d");
    assert.equal(ids.size, 3);
    assert.equal(ids.has("a"), false);
    assert.equal(ids.has("d"), true);
  });
});

describe("cursor stores", () => {
  test("MemoryCursorStore round trip", () => {
    const store = new MemoryCursorStore();
    assert.equal(store.load(), undefined);
    store.save("12");
    assert.equal(store.load(), "12");
  });

  test("FileCursorStore round trip, atomic replace, no temp file left", async () => {
    const dir = await mkdtemp(join(tmpdir(), "orderservice-ts-store-"));
    try {
      const path = join(dir, "seller.cursor");
      const store = new FileCursorStore(path);
      assert.equal(await store.load(), undefined);
      await store.save("100");
      assert.equal(await new FileCursorStore(path).load(), "100");
      await Promise.all(["101", "102", "103"].map((c) => store.save(c)));
      assert.equal(await store.load(), "103", "saves apply in order");
      assert.equal((await readFile(path, "utf8")).trim(), "103");
      assert.deepEqual(await readdir(dir), ["seller.cursor"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("FileCursorStore refuses an empty file instead of starting from now", async () => {
    const dir = await mkdtemp(join(tmpdir(), "orderservice-ts-store-"));
    try {
      const path = join(dir, "seller.cursor");
      await writeFile(path, "\n");
      await assert.rejects(new FileCursorStore(path).load(), /is empty/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("retries", () => {
  test("withRequestId sets a UUID only when the request has none", () => {
    const fresh = withRequestId({ requestId: "" });
    assert.match(fresh.requestId, /^[0-9a-f-]{36}$/);
    assert.equal(withRequestId({ requestId: "mine" }).requestId, "mine");
  });

  test("callWithRetry retries UNAVAILABLE, DEADLINE_EXCEEDED and ABORTED with the same message", async () => {
    const seen: { request: object; requestId: string }[] = [];
    const failures = [Code.Unavailable, Code.DeadlineExceeded, Code.Aborted];
    const request = { requestId: "" };
    const result = await callWithRetry(async (r: { requestId: string }) => {
      seen.push({ request: r, requestId: r.requestId });
      const code = failures.shift();
      if (code !== undefined) {
        throw new ConnectError("try again", code);
      }
      return "done";
    }, request);
    assert.equal(result, "done");
    assert.equal(seen.length, 4);
    assert.ok(seen.every((s) => s.request === request && s.requestId === seen[0].requestId));
    assert.match(seen[0].requestId, /^[0-9a-f-]{36}$/);
  });

  test("callWithRetry does not retry other codes and stops after maxAttempts", async () => {
    let calls = 0;
    const refused = await callWithRetry(async () => {
      calls++;
      throw new ConnectError("bad", Code.FailedPrecondition);
    }, { requestId: "x" }).catch((err: unknown) => err);
    assert.equal(calls, 1);
    assert.equal((refused as ConnectError).code, Code.FailedPrecondition);

    calls = 0;
    const exhausted = await callWithRetry(async () => {
      calls++;
      throw new ConnectError("down", Code.Unavailable);
    }, { requestId: "y" }, { maxAttempts: 2 }).catch((err: unknown) => err);
    assert.equal(calls, 2);
    assert.equal((exhausted as ConnectError).code, Code.Unavailable);
  });
});

describe("decodeError", () => {
  test("decodes ErrorInfo, BadRequest and PreconditionFailure", () => {
    const error = new ConnectError("items[0].quantity: must be between 1 and 10000", Code.InvalidArgument, undefined, [
      { desc: ErrorInfoSchema, value: { reason: "INVALID_FIELD", domain: "orderservice", metadata: { field: "items[0].quantity" } } },
      { desc: BadRequestSchema, value: { fieldViolations: [{ field: "items[0].quantity", description: "must be between 1 and 10000" }] } },
      { desc: PreconditionFailureSchema, value: { violations: [{ type: "ORDER_PENDING", subject: "order", description: "pending" }] } },
    ]);
    const decoded = decodeError(error);
    assert.equal(decoded.code, Code.InvalidArgument);
    assert.equal(decoded.codeName, "INVALID_ARGUMENT");
    assert.equal(decoded.message, "items[0].quantity: must be between 1 and 10000");
    assert.deepEqual(decoded.errorInfo, { reason: "INVALID_FIELD", domain: "orderservice", metadata: { field: "items[0].quantity" } });
    assert.deepEqual(decoded.badRequest?.fieldViolations.map((v) => [v.field, v.description]), [["items[0].quantity", "must be between 1 and 10000"]]);
    assert.deepEqual(decoded.preconditionFailure?.violations, [{ type: "ORDER_PENDING", subject: "order", description: "pending" }]);
    assert.deepEqual(decodeError(new OrderServiceError(decoded)), decoded);
  });

  test("an error without details has only code and message", () => {
    const decoded = decodeError(new Error("boom"));
    assert.equal(decoded.codeName, "UNKNOWN");
    assert.equal(decoded.errorInfo, undefined);
    assert.equal(decoded.badRequest, undefined);
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    assert.ok(Date.now() < deadline, "timed out");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
