// @orderservice/client: the generated orderservice.v1 code plus the helpers every user of
// the service would otherwise write by hand (clients/README.md).
export { createOrderServiceClients, bearerToken } from "./clients.js";
export type { OrderServiceClients, TokenSource } from "./clients.js";
export { decodeError, codeName, OrderServiceError } from "./errors.js";
export type { DecodedError } from "./errors.js";
export { withRequestId, callWithRetry, RETRYABLE_CODES } from "./retry.js";
export type { RetryOptions } from "./retry.js";
export {
  subscribe,
  isReconnectable,
  RecentIds,
  START_CURSOR_HEADER,
  DEFAULT_DEDUP_CAPACITY,
} from "./subscriber.js";
export type {
  SubscribeClient,
  SubscribeOptions,
  SubscriptionFilter,
  ReconnectInfo,
} from "./subscriber.js";
export { MemoryCursorStore, FileCursorStore } from "./cursor-store.js";
export type { CursorStore } from "./cursor-store.js";
export { backoffDelayMs, BACKOFF_INITIAL_MS, BACKOFF_MAX_MS, BACKOFF_JITTER } from "./backoff.js";

// The contract: messages, enums and service descriptors.
export * from "./gen/orderservice/v1/order_service_pb.js";
export * from "./gen/orderservice/v1/refund_service_pb.js";
export * from "./gen/orderservice/v1/notification_service_pb.js";
export * from "./gen/orderservice/v1/types_pb.js";
export * from "./gen/google/rpc/error_details_pb.js";
export { Code, ConnectError } from "@connectrpc/connect";
export type { CallOptions, Client } from "@connectrpc/connect";
export { create } from "@bufbuild/protobuf";
