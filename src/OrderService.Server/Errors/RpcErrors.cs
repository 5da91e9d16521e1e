using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using OrderService.Domain;
using Status = Google.Rpc.Status;

namespace OrderService.Server.Errors;

/// <summary>Builds every error the service returns: a google.rpc.Status with an ErrorInfo
/// (UPPER_SNAKE reason, domain "orderservice") and, where it applies, a BadRequest naming
/// the fields or a PreconditionFailure (AIP-193).</summary>
public static class RpcErrors
{
    public const string Domain = "orderservice";

    /// <summary>One invalid field of a request.</summary>
    public sealed record FieldViolation(string Field, string Description);

    public static RpcException InvalidArgument(string reason, IReadOnlyList<FieldViolation> violations)
    {
        var message = violations.Count == 1
            ? $"{violations[0].Field}: {violations[0].Description}"
            : $"{violations.Count} invalid fields: " + string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}"));
        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(violations.Select(v =>
            new BadRequest.Types.FieldViolation { Field = v.Field, Description = v.Description }));
        return Build(Code.InvalidArgument, message, ErrorInfo(reason, new Dictionary<string, string>
        {
            ["field"] = violations[0].Field,
        }), badRequest);
    }

    public static RpcException Unauthenticated(string reason, string message) =>
        Build(Code.Unauthenticated, message, ErrorInfo(reason));

    public static RpcException PermissionDenied(string reason, string message, IReadOnlyDictionary<string, string>? metadata = null) =>
        Build(Code.PermissionDenied, message, ErrorInfo(reason, metadata));

    public static RpcException Aborted(string reason, string message) =>
        Build(Code.Aborted, message, ErrorInfo(reason));

    public static RpcException ResourceExhausted(string reason, string message, IReadOnlyDictionary<string, string> metadata) =>
        Build(Code.ResourceExhausted, message, ErrorInfo(reason, metadata));

    public static RpcException Unavailable(string reason, string message, IReadOnlyDictionary<string, string> metadata) =>
        Build(Code.Unavailable, message, ErrorInfo(reason, metadata));

    public static RpcException OutOfRange(string reason, string message, IReadOnlyDictionary<string, string> metadata) =>
        Build(Code.OutOfRange, message, ErrorInfo(reason, metadata));

    /// <summary>A server fault. The message names the incident id under which it was logged.</summary>
    public static RpcException Internal(string incident) =>
        Build(Code.Internal, $"Internal error (incident {incident}); the request may be retried with the same request_id.",
            ErrorInfo("INTERNAL_ERROR", new Dictionary<string, string> { ["incident"] = incident }));

    public static RpcException Unimplemented(string method, string plannedIn) =>
        Build(Code.Unimplemented, $"{method} is declared in the v1 contract but not implemented yet ({plannedIn}).",
            ErrorInfo("NOT_IMPLEMENTED_YET", new Dictionary<string, string> { ["method"] = method }));

    /// <summary>The one mapping from domain refusals to gRPC status codes.</summary>
    public static RpcException FromDomain(DomainException exception) => StatusOf(exception).ToRpcException();

    /// <summary>The google.rpc.Status of a refusal, also used alone: each line of a feed
    /// carries the status the single-order RPC would have returned.</summary>
    public static Status StatusOf(DomainException exception)
    {
        var code = exception.Kind switch
        {
            ErrorKind.InvalidArgument => Code.InvalidArgument,
            ErrorKind.FailedPrecondition => Code.FailedPrecondition,
            ErrorKind.NotFound => Code.NotFound,
            ErrorKind.AlreadyExists => Code.AlreadyExists,
            ErrorKind.PermissionDenied => Code.PermissionDenied,
            ErrorKind.Aborted => Code.Aborted,
            _ => Code.Internal,
        };
        var metadata = new Dictionary<string, string>(exception.Metadata);
        if (exception.Field is not null)
        {
            metadata["field"] = exception.Field;
        }

        var details = new List<IMessage> { ErrorInfo(exception.Reason, metadata) };
        if (exception.Field is not null && code is Code.InvalidArgument or Code.AlreadyExists)
        {
            details.Add(new BadRequest
            {
                FieldViolations = { new BadRequest.Types.FieldViolation { Field = exception.Field, Description = exception.Message } },
            });
        }

        if (code == Code.FailedPrecondition)
        {
            details.Add(new PreconditionFailure
            {
                Violations =
                {
                    new PreconditionFailure.Types.Violation
                    {
                        Type = exception.Reason,
                        Subject = exception.Field ?? "order",
                        Description = exception.Message,
                    },
                },
            });
        }

        return BuildStatus(code, exception.Message, [.. details]);
    }

    /// <summary>The google.rpc.Status an RpcException built here carries.</summary>
    public static Status StatusOf(RpcException exception) =>
        exception.GetRpcStatus() ?? new Status { Code = (int)exception.StatusCode, Message = exception.Status.Detail };

    private static ErrorInfo ErrorInfo(string reason, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var info = new ErrorInfo { Reason = reason, Domain = Domain };
        if (metadata is not null)
        {
            foreach (var (key, value) in metadata)
            {
                info.Metadata[key] = value;
            }
        }

        return info;
    }

    private static RpcException Build(Code code, string message, params IMessage[] details) =>
        BuildStatus(code, message, details).ToRpcException();

    private static Status BuildStatus(Code code, string message, params IMessage[] details)
    {
        var status = new Status { Code = (int)code, Message = message };
        status.Details.AddRange(details.Select(Any.Pack));
        return status;
    }
}
