using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using OrderService.Application.Errors;
using OrderService.Domain;
using Status = Google.Rpc.Status;

namespace OrderService.Server.Errors;

/// <summary>Builds every error the service returns as an RpcException carrying a
/// google.rpc.Status with an ErrorInfo (UPPER_SNAKE reason, domain "orderservice") and,
/// where it applies, a BadRequest naming the fields or a PreconditionFailure (AIP-193).</summary>
public static class RpcErrors
{
    public const string Domain = ErrorStatus.Domain;

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

    /// <summary>A domain refusal as its gRPC status (the one mapping is
    /// <see cref="ErrorStatus.Of"/>).</summary>
    public static RpcException FromDomain(DomainException exception) => ErrorStatus.Of(exception).ToRpcException();

    /// <summary>The google.rpc.Status an RpcException built here carries.</summary>
    public static Status StatusOf(RpcException exception) =>
        exception.GetRpcStatus() ?? new Status { Code = (int)exception.StatusCode, Message = exception.Status.Detail };

    private static ErrorInfo ErrorInfo(string reason, IReadOnlyDictionary<string, string>? metadata = null) =>
        ErrorStatus.Info(reason, metadata);

    private static RpcException Build(Code code, string message, params IMessage[] details) =>
        ErrorStatus.Build(code, message, details).ToRpcException();
}
