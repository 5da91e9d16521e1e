using Microsoft.Extensions.Logging;

namespace OrderService.Application.Idempotency;

/// <summary>The idempotent transactions' log lines (event ids 1000-1099): the method and the
/// attempt, never the request. A write conflict's exception is EF Core's, which names no
/// values (sensitive data logging is off).</summary>
internal static partial class IdempotencyLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information,
        Message = "Concurrent change to the same order; re-running {Method} (attempt {Attempt}).")]
    public static partial void ConcurrentChange(this ILogger logger, string method, int attempt);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information,
        Message = "Write conflict; re-running {Method} (attempt {Attempt}).")]
    public static partial void WriteConflict(this ILogger logger, Exception exception, string method, int attempt);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning,
        Message = "Write conflicts persisted over {Attempts} attempts of {Method}.")]
    public static partial void WriteConflictsPersisted(this ILogger logger, Exception exception, int attempts, string method);
}
