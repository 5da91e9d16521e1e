// What the tests against a real server share: the harness's variables, tokens, unique
// ids and requests, and waiting for notices.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  AuthorizePaymentRequestSchema,
  CancelOrderRequestSchema,
  CancelReason,
  ChargeComponent,
  CreateOrderRequestSchema,
  create,
  type AuthorizePaymentRequest,
  type CancelOrderRequest,
  type CreateOrderRequest,
} from "../src/index.js";

const run = promisify(execFile);

/** The harness's variables (clients/README.md); test.sh sets them. */
export function harness(): { url: string; server: string } {
  const url = process.env.ORDERSERVICE_TEST_URL;
  const server = process.env.ORDERSERVICE_TEST_SERVER;
  if (!url || !server) {
    throw new Error("ORDERSERVICE_TEST_URL and ORDERSERVICE_TEST_SERVER must be set (run ./test.sh)");
  }
  return { url, server };
}

/** `test-server token ROLE ID`. */
export async function mintToken(role: "marketplace" | "seller" | "buyer", id: string): Promise<string> {
  const { stdout } = await run(harness().server, ["token", role, id]);
  const token = stdout.trim();
  if (!token) {
    throw new Error(`no token for ${role} ${id}`);
  }
  return token;
}

/** `test-server restart`: a graceful stop (open streams end UNAVAILABLE), then a start. */
export async function restartServer(): Promise<void> {
  await run(harness().server, ["restart"]);
}

/** A random suffix that makes this run's ids its own (the database is shared). */
export function runId(): string {
  return randomBytes(4).toString("hex").toUpperCase();
}

export function newOrder(orderId: string, sellerId: string, buyerId: string): CreateOrderRequest {
  const now = Date.now();
  return create(CreateOrderRequestSchema, {
    orderId,
    sellerId,
    buyerId,
    currencyCode: "JPY",
    purchaseTime: timestampFromDate(new Date(now - 60 * 60 * 1000)),
    latestShipTime: timestampFromDate(new Date(now + 3 * 24 * 60 * 60 * 1000)),
    items: [
      {
        orderItemId: "item-1",
        sku: "SKU-TS-1",
        title: "Green tea, 100 g",
        quantity: 2,
        unitCharges: [
          { component: ChargeComponent.PRINCIPAL, amount: { currencyCode: "JPY", units: 1200n } },
        ],
      },
    ],
  });
}

export function authorizePayment(orderId: string): AuthorizePaymentRequest {
  return create(AuthorizePaymentRequestSchema, {
    orderId,
    shippingAddress: {
      recipientName: "Yamada Taro",
      addressLines: ["1-2-3 Chiyoda"],
      locality: "Chiyoda-ku",
      administrativeArea: "Tokyo",
      postalCode: "100-0001",
      regionCode: "JP",
    },
    buyerContact: { name: "Yamada Taro", email: "buyer-ts@example.com" },
  });
}

export function cancelOrder(orderId: string): CancelOrderRequest {
  return create(CancelOrderRequestSchema, {
    orderId,
    reason: CancelReason.NO_INVENTORY,
  });
}

/** Polls `condition` every 50 ms until it holds; fails after `timeoutMs` with `what`. */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
