// Retries of mutating calls with the same message, hence the same request_id (AIP-155):
// the server answers a repeat with the first answer and does nothing again.
import { randomUUID } from "node:crypto";
import { Code, ConnectError, type CallOptions } from "@connectrpc/connect";
import { backoffDelayMs, sleep } from "./backoff.js";

/** The codes after which a call is retried: the request may not have been applied. */
export const RETRYABLE_CODES: readonly Code[] = [Code.Unavailable, Code.DeadlineExceeded, Code.Aborted];

/** Sets a fresh UUID as `requestId` when the request has none; returns the same object. */
export function withRequestId<T extends { requestId: string }>(request: T): T {
  if (!request.requestId) {
    request.requestId = randomUUID();
  }
  return request;
}

export interface RetryOptions {
  /** Attempts in all, the first included. Default 5. */
  maxAttempts?: number;
  /** Per-attempt deadline in milliseconds (DEADLINE_EXCEEDED is retried). Default none. */
  timeoutMs?: number;
  /** Cancels the current attempt and stops retrying. */
  signal?: AbortSignal;
  /** Told before each retry. */
  onRetry?: (info: { error: ConnectError; attempt: number; delayMs: number }) => void;
  /** Other call options passed to every attempt (headers, contextValues...). */
  callOptions?: Omit<CallOptions, "signal" | "timeoutMs">;
}

/**
 * Calls `call(request)` and retries it on UNAVAILABLE, DEADLINE_EXCEEDED and ABORTED, with
 * the same message each time (backoff 100 ms doubling to 5 s, with jitter). A request
 * without a request_id gets a UUID first, kept across the attempts.
 *
 *   const { order } = await callWithRetry(orders.createOrder, create(CreateOrderRequestSchema, {...}));
 *
 * Throws the last error (a ConnectError) when it is not retryable or attempts run out.
 */
export async function callWithRetry<Req extends { requestId: string }, Res>(
  call: (request: Req, options?: CallOptions) => Promise<Res>,
  request: Req,
  options: RetryOptions = {},
): Promise<Res> {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  withRequestId(request);
  for (let attempt = 1; ; attempt++) {
    try {
      return await call(request, {
        ...options.callOptions,
        signal: options.signal,
        timeoutMs: options.timeoutMs,
      });
    } catch (err) {
      const error = ConnectError.from(err);
      if (attempt >= maxAttempts || options.signal?.aborted || !RETRYABLE_CODES.includes(error.code)) {
        throw error;
      }
      const delayMs = backoffDelayMs(attempt - 1);
      options.onRetry?.({ error, attempt, delayMs });
      if (!(await sleep(delayMs, options.signal))) {
        throw error;
      }
    }
  }
}
