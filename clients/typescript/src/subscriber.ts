// The resumable subscriber of clients/README.md: hands each notice to the application
// once, keeps its place in a cursor store, and reconnects across server restarts.
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type CallOptions } from "@connectrpc/connect";
import {
  SubscribeRequestSchema,
  type NotificationType,
  type Notification,
  type SubscribeRequest,
  type SubscribeResponse,
} from "./gen/orderservice/v1/notification_service_pb.js";
import { backoffDelayMs, sleep } from "./backoff.js";
import type { CursorStore } from "./cursor-store.js";
import { decodeError, OrderServiceError, type DecodedError } from "./errors.js";

/** The response header that carries the cursor a new stream starts after. */
export const START_CURSOR_HEADER = "orderservice-start-cursor";

/** How many recent notification ids a subscriber remembers to drop replays. */
export const DEFAULT_DEDUP_CAPACITY = 10_000;

/** What `subscribe` needs of a NotificationService client. */
export interface SubscribeClient {
  subscribe(request: SubscribeRequest, options?: CallOptions): AsyncIterable<SubscribeResponse>;
}

/** The filters of a subscription; where it resumes comes from the store. */
export interface SubscriptionFilter {
  /** Only these types; empty or absent: every type for the caller's audience. */
  types?: NotificationType[];
  /** Only these orders; empty or absent: every order of the caller. */
  orderIds?: string[];
}

export interface ReconnectInfo {
  /** Why: the decoded error, or undefined when the stream ended without one. */
  error?: DecodedError;
  /** Reconnects since the last message arrived (0 for the first). */
  attempt: number;
  /** The wait before it. */
  delayMs: number;
}

export interface SubscribeOptions {
  /** Where the subscriber keeps its place. */
  store: CursorStore;
  /** Aborting stops the subscription: the call is cancelled and the iteration ends. */
  signal?: AbortSignal;
  /** Told before each reconnect (logging, metrics). */
  onReconnect?: (info: ReconnectInfo) => void;
  /** Recent notification ids remembered to drop replays. Default 10000. */
  dedupCapacity?: number;
}

/** A set of the most recent ids, forgetting the oldest beyond `capacity`. */
export class RecentIds {
  private readonly ids = new Set<string>();

  constructor(readonly capacity: number = DEFAULT_DEDUP_CAPACITY) {
    if (!(capacity >= 1)) {
      throw new RangeError("capacity must be at least 1");
    }
  }

  get size(): number {
    return this.ids.size;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** Remembers `id`; returns false when it was already there. */
  add(id: string): boolean {
    if (this.ids.has(id)) {
      return false;
    }
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      // A Set iterates in insertion order: the first is the oldest.
      const oldest = this.ids.values().next().value as string;
      this.ids.delete(oldest);
    }
    return true;
  }
}

/**
 * Whether the subscriber reconnects after `error` (true) or throws it to the application
 * (false). A CANCELLED the application asked for is checked before this and ends the loop.
 */
export function isReconnectable(error: ConnectError): boolean {
  switch (error.code) {
    case Code.Unavailable: // the server is stopping, or refuses connections while down
    case Code.ResourceExhausted: // SUBSCRIBER_TOO_SLOW
    case Code.DeadlineExceeded:
    case Code.Canceled: // not asked for by the application (the caller checks that first)
      return true;
    case Code.Internal:
    case Code.Aborted:
      // A reset stream (RST_STREAM) or connection (connect-node reports ECONNRESET as
      // ABORTED) is not a status the server sent; a server fault (INTERNAL_ERROR with an
      // incident id) is, and is raised.
      return !error.isWireError;
    default:
      // OUT_OF_RANGE, UNAUTHENTICATED, PERMISSION_DENIED, INVALID_ARGUMENT, ...:
      // retrying cannot help.
      return false;
  }
}

/**
 * Subscribes to the caller's notices and yields each one to the application once,
 * resuming from `options.store` across reconnects (clients/README.md, "The resumable
 * subscriber"):
 *
 *   for await (const notice of subscribe(notifications, { orderIds: ["250-1"] }, { store })) {
 *     handle(notice); // its cursor is saved when the loop asks for the next one
 *   }
 *
 * A notice's cursor is saved once the application asks for the next notice, never before:
 * a crash while handling it hands it over again after a restart (at least once); within
 * one subscription each notification_id is handed over once. Breaking out of the loop or
 * aborting `signal` cancels the call, saves nothing more and ends the iteration.
 * OUT_OF_RANGE, UNAUTHENTICATED, PERMISSION_DENIED, INVALID_ARGUMENT (and a server fault)
 * are thrown as OrderServiceError with the decoded details (for CURSOR_PRUNED,
 * errorInfo.metadata.oldest_resume_after; for CURSOR_AHEAD_OF_LOG, newest_cursor).
 */
export async function* subscribe(
  client: SubscribeClient,
  filter: SubscriptionFilter,
  options: SubscribeOptions,
): AsyncGenerator<Notification, void, undefined> {
  const { store, signal } = options;
  const seen = new RecentIds(options.dedupCapacity ?? DEFAULT_DEDUP_CAPACITY);
  // Cancels the current call when the application stops (abort or break).
  const stop = new AbortController();
  const onAbort = () => stop.abort(signal?.reason);
  if (signal?.aborted) {
    return;
  }
  signal?.addEventListener("abort", onAbort, { once: true });
  let failures = 0;
  try {
    while (!stop.signal.aborted) {
      const stored = (await store.load()) || undefined; // "" is no cursor either
      const request = create(SubscribeRequestSchema, {
        resumeAfter: stored ?? "",
        types: filter.types ?? [],
        orderIds: filter.orderIds ?? [],
      });
      // Step 2: with no stored cursor, the start cursor is saved as soon as the headers
      // arrive (onHeader cannot wait; the save is awaited before anything else is saved).
      let headerSave: Promise<void> | undefined;
      const onHeader = (headers: Headers) => {
        const start = headers.get(START_CURSOR_HEADER);
        if (stored === undefined && start) {
          headerSave = Promise.resolve().then(() => store.save(start));
          headerSave.catch(() => undefined); // awaited below; not an unhandled rejection
        }
      };
      let failure: ConnectError | undefined;
      try {
        for await (const message of client.subscribe(request, { signal: stop.signal, onHeader })) {
          if (headerSave) {
            await headerSave;
            headerSave = undefined;
          }
          failures = 0;
          const kind = message.kind;
          if (kind.case === "notification") {
            const notice = kind.value;
            if (seen.add(notice.notificationId)) {
              yield notice;
              // The application asked for the next one: it processed this one.
              if (stop.signal.aborted) {
                return;
              }
            }
            // A replay (the store lost a write) was processed already: its cursor can go.
            await store.save(notice.cursor);
          } else if (kind.case === "heartbeat" && kind.value.cursor) {
            await store.save(kind.value.cursor);
          }
        }
      } catch (err) {
        if (stop.signal.aborted) {
          return;
        }
        failure = ConnectError.from(err);
        if (!isReconnectable(failure)) {
          throw new OrderServiceError(decodeError(failure), failure);
        }
      }
      if (headerSave) {
        await headerSave;
      }
      const delayMs = backoffDelayMs(failures);
      options.onReconnect?.({
        error: failure && decodeError(failure),
        attempt: failures,
        delayMs,
      });
      failures++;
      if (!(await sleep(delayMs, stop.signal))) {
        return;
      }
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    stop.abort();
  }
}
