// The google.rpc details every OrderService error carries, decoded into plain objects:
// branch on `code` and `errorInfo.reason`, never on the message.
import { Code, ConnectError } from "@connectrpc/connect";
import {
  BadRequestSchema,
  ErrorInfoSchema,
  PreconditionFailureSchema,
} from "./gen/google/rpc/error_details_pb.js";

/** An error of the service (or of the transport), with its details decoded. */
export interface DecodedError {
  /** The status code (Code.InvalidArgument is 3, as in gRPC). */
  code: Code;
  /** The gRPC name of the code: "INVALID_ARGUMENT", "UNAVAILABLE", ... */
  codeName: string;
  /** The status message as the server sent it (no "[code]" prefix). */
  message: string;
  /** google.rpc.ErrorInfo: every error the service itself returns has one. */
  errorInfo?: { reason: string; domain: string; metadata: Record<string, string> };
  /** google.rpc.BadRequest: INVALID_ARGUMENT and ALREADY_EXISTS name the fields at fault. */
  badRequest?: { fieldViolations: { field: string; description: string; reason: string }[] };
  /** google.rpc.PreconditionFailure: FAILED_PRECONDITION names the rule and the subject. */
  preconditionFailure?: { violations: { type: string; subject: string; description: string }[] };
}

const codeNames: Record<Code, string> = {
  [Code.Canceled]: "CANCELLED",
  [Code.Unknown]: "UNKNOWN",
  [Code.InvalidArgument]: "INVALID_ARGUMENT",
  [Code.DeadlineExceeded]: "DEADLINE_EXCEEDED",
  [Code.NotFound]: "NOT_FOUND",
  [Code.AlreadyExists]: "ALREADY_EXISTS",
  [Code.PermissionDenied]: "PERMISSION_DENIED",
  [Code.ResourceExhausted]: "RESOURCE_EXHAUSTED",
  [Code.FailedPrecondition]: "FAILED_PRECONDITION",
  [Code.Aborted]: "ABORTED",
  [Code.OutOfRange]: "OUT_OF_RANGE",
  [Code.Unimplemented]: "UNIMPLEMENTED",
  [Code.Internal]: "INTERNAL",
  [Code.Unavailable]: "UNAVAILABLE",
  [Code.DataLoss]: "DATA_LOSS",
  [Code.Unauthenticated]: "UNAUTHENTICATED",
};

/** The gRPC name of a status code ("INVALID_ARGUMENT"). */
export function codeName(code: Code): string {
  return codeNames[code] ?? `CODE_${code}`;
}

/**
 * Thrown by `subscribe` when retrying cannot help (OUT_OF_RANGE, UNAUTHENTICATED,
 * PERMISSION_DENIED, INVALID_ARGUMENT, a server fault): carries the decoded status, and the
 * ConnectError as `cause`.
 */
export class OrderServiceError extends Error implements DecodedError {
  override readonly name = "OrderServiceError";
  readonly code: Code;
  readonly codeName: string;
  readonly errorInfo?: DecodedError["errorInfo"];
  readonly badRequest?: DecodedError["badRequest"];
  readonly preconditionFailure?: DecodedError["preconditionFailure"];

  constructor(decoded: DecodedError, cause?: unknown) {
    super(decoded.message, { cause });
    this.code = decoded.code;
    this.codeName = decoded.codeName;
    this.errorInfo = decoded.errorInfo;
    this.badRequest = decoded.badRequest;
    this.preconditionFailure = decoded.preconditionFailure;
  }

  /** The ErrorInfo reason, such as "CURSOR_PRUNED", or undefined. */
  get reason(): string | undefined {
    return this.errorInfo?.reason;
  }
}

/**
 * Decodes any error thrown by a call (a ConnectError, an OrderServiceError, or anything
 * else, which becomes UNKNOWN or what ConnectError.from makes of it).
 */
export function decodeError(err: unknown): DecodedError {
  if (err instanceof OrderServiceError) {
    return {
      code: err.code,
      codeName: err.codeName,
      message: err.message,
      errorInfo: err.errorInfo,
      badRequest: err.badRequest,
      preconditionFailure: err.preconditionFailure,
    };
  }
  const error = ConnectError.from(err);
  const decoded: DecodedError = {
    code: error.code,
    codeName: codeName(error.code),
    message: error.rawMessage,
  };
  const info = error.findDetails(ErrorInfoSchema)[0];
  if (info) {
    decoded.errorInfo = { reason: info.reason, domain: info.domain, metadata: { ...info.metadata } };
  }
  const badRequest = error.findDetails(BadRequestSchema)[0];
  if (badRequest) {
    decoded.badRequest = {
      fieldViolations: badRequest.fieldViolations.map((v) => ({
        field: v.field,
        description: v.description,
        reason: v.reason,
      })),
    };
  }
  const precondition = error.findDetails(PreconditionFailureSchema)[0];
  if (precondition) {
    decoded.preconditionFailure = {
      violations: precondition.violations.map((v) => ({
        type: v.type,
        subject: v.subject,
        description: v.description,
      })),
    };
  }
  return decoded;
}
