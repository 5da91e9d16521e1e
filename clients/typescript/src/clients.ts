// One HTTP/2 (h2c or TLS) gRPC transport with the bearer token on every call, and the
// three typed clients over it.
import { createClient, type Client, type Interceptor, type Transport } from "@connectrpc/connect";
import { createGrpcTransport, type GrpcTransportOptions } from "@connectrpc/connect-node";
import { NotificationService } from "./gen/orderservice/v1/notification_service_pb.js";
import { OrderService } from "./gen/orderservice/v1/order_service_pb.js";
import { RefundService } from "./gen/orderservice/v1/refund_service_pb.js";

/** A token, or a function that returns the current one (called on every call). */
export type TokenSource = string | (() => string | Promise<string>);

export interface OrderServiceClients {
  orders: Client<typeof OrderService>;
  refunds: Client<typeof RefundService>;
  notifications: Client<typeof NotificationService>;
  /** The transport the clients share (one HTTP/2 connection). */
  transport: Transport;
}

/** An interceptor that sends `authorization: Bearer <token>` on every call. */
export function bearerToken(token: TokenSource): Interceptor {
  return (next) => async (request) => {
    const value = typeof token === "function" ? await token() : token;
    request.header.set("authorization", `Bearer ${value}`);
    return next(request);
  };
}

/**
 * Clients of the three services at `baseUrl` ("http://127.0.0.1:5080": gRPC over h2c;
 * "https://...": over TLS). `token` is sent as a bearer token on every call; undefined
 * sends none (health and reflection need none). `options` are passed to
 * createGrpcTransport (interceptors are added after the token's).
 */
export function createOrderServiceClients(
  baseUrl: string,
  token: TokenSource | undefined,
  options: Partial<Omit<GrpcTransportOptions, "baseUrl">> = {},
): OrderServiceClients {
  const interceptors: Interceptor[] = [];
  if (token !== undefined) {
    interceptors.push(bearerToken(token));
  }
  interceptors.push(...(options.interceptors ?? []));
  const transport = createGrpcTransport({ ...options, baseUrl, interceptors });
  return {
    orders: createClient(OrderService, transport),
    refunds: createClient(RefundService, transport),
    notifications: createClient(NotificationService, transport),
    transport,
  };
}
