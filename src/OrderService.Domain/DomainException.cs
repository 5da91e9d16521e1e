namespace OrderService.Domain;

/// <summary>What kind of mistake or refusal a <see cref="DomainException"/> is. The server
/// maps each kind to one gRPC status code; the domain itself knows nothing of gRPC.</summary>
public enum ErrorKind
{
    /// <summary>The request is wrong whatever the state of the order.</summary>
    InvalidArgument,
    /// <summary>The request is fine but not allowed in the order's current state.</summary>
    FailedPrecondition,
    /// <summary>The order does not exist, or the caller may not know that it exists.</summary>
    NotFound,
    /// <summary>What the request would create exists already.</summary>
    AlreadyExists,
    /// <summary>The caller's role may not do this.</summary>
    PermissionDenied,
    /// <summary>A concurrent change won; the request may be retried.</summary>
    Aborted,
}

/// <summary>A business rule refused a request. Thrown before anything is saved, so a
/// refused request changes nothing.</summary>
public sealed class DomainException(
    ErrorKind kind,
    string reason,
    string message,
    string? field = null,
    IReadOnlyDictionary<string, string>? metadata = null) : Exception(message)
{
    /// <summary>How the server reports it.</summary>
    public ErrorKind Kind { get; } = kind;

    /// <summary>UPPER_SNAKE machine-readable reason (google.rpc.ErrorInfo.reason).</summary>
    public string Reason { get; } = reason;

    /// <summary>The request field at fault, as a proto field path ("lines[0].quantity"),
    /// when one field is.</summary>
    public string? Field { get; } = field;

    /// <summary>Extra facts for the client (ErrorInfo.metadata): the order's status, the
    /// reply template to use, the RPC to use instead...</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; } =
        metadata ?? new Dictionary<string, string>();

    public static DomainException Invalid(string field, string reason, string message) =>
        new(ErrorKind.InvalidArgument, reason, message, field);
}
