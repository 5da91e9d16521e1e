using System.Text;
using Google.Rpc;
using Grpc.Core;

namespace OrderService.Client;

/// <summary>What the server said about a refused call, decoded from the google.rpc.Status
/// it puts on every error (README, "Errors and retries"): the code, the ErrorInfo reason
/// and metadata, the fields a BadRequest names and the conditions a PreconditionFailure
/// names.
/// <code>
/// catch (RpcException e)
/// {
///     var error = e.Details();   // error.Reason == "INVALID_FIELD", error.InvalidFields ...
/// }
/// </code></summary>
public sealed record OrderServiceError(
    StatusCode Code,
    string Message,
    ErrorInfo? ErrorInfo,
    BadRequest? BadRequest,
    PreconditionFailure? PreconditionFailure)
{
    /// <summary>ErrorInfo.reason ("ORDER_PENDING", "REQUEST_ID_REUSED", ...), or null when the
    /// error did not come from the service (a transport failure, say).</summary>
    public string? Reason => ErrorInfo?.Reason;

    /// <summary>The fields a BadRequest names, by proto path ("items[0].quantity").</summary>
    public IReadOnlyList<string> InvalidFields =>
        BadRequest?.FieldViolations.Select(v => v.Field).ToList() ?? [];

    /// <summary>An ErrorInfo metadata value ("order_status", "resume_after", ...), or null.</summary>
    public string? Metadata(string key) =>
        ErrorInfo is not null && ErrorInfo.Metadata.TryGetValue(key, out var value) ? value : null;

    public static OrderServiceError From(RpcException exception)
    {
        var status = exception.GetRpcStatus();
        return new OrderServiceError(
            exception.StatusCode,
            status?.Message ?? exception.Status.Detail,
            status?.GetDetail<ErrorInfo>(),
            status?.GetDetail<BadRequest>(),
            status?.GetDetail<PreconditionFailure>());
    }

    /// <summary>A readable block: "INVALID_ARGUMENT (INVALID_FIELD): message", then one line
    /// per field violation, precondition violation and metadata entry.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(ScreamingCode(Code));
        if (Reason is not null)
        {
            text.Append(" (").Append(Reason).Append(')');
        }

        text.Append(": ").Append(Message);
        foreach (var violation in BadRequest?.FieldViolations ?? [])
        {
            text.Append("\n  field ").Append(violation.Field).Append(": ").Append(violation.Description);
        }

        foreach (var violation in PreconditionFailure?.Violations ?? [])
        {
            text.Append("\n  precondition ").Append(violation.Type).Append(' ').Append(violation.Subject)
                .Append(": ").Append(violation.Description);
        }

        foreach (var (key, value) in ErrorInfo?.Metadata.OrderBy(m => m.Key, StringComparer.Ordinal).ToList() ?? [])
        {
            text.Append("\n  ").Append(key).Append(": ").Append(value);
        }

        return text.ToString();
    }

    /// <summary>The canonical gRPC name of a code: FailedPrecondition -> FAILED_PRECONDITION.</summary>
    public static string ScreamingCode(StatusCode code) => code switch
    {
        StatusCode.OK => "OK",
        _ => string.Concat(code.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : c.ToString())).ToUpperInvariant(),
    };
}

/// <summary>Shortcuts from an RpcException to its decoded details.</summary>
public static class RpcExceptionDetails
{
    /// <summary>All the details the server sent.</summary>
    public static OrderServiceError Details(this RpcException exception) => OrderServiceError.From(exception);

    /// <summary>The ErrorInfo.reason ("ORDER_PENDING", "REQUEST_ID_REUSED"...), or null.</summary>
    public static string? Reason(this RpcException exception) => exception.Details().Reason;

    /// <summary>The fields a BadRequest detail names.</summary>
    public static IReadOnlyList<string> InvalidFields(this RpcException exception) => exception.Details().InvalidFields;
}
