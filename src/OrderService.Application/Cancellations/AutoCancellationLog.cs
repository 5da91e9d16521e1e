using Microsoft.Extensions.Logging;

namespace OrderService.Application.Cancellations;

/// <summary>The automatic cancellation passes' log lines (event ids 1200-1299).</summary>
internal static partial class AutoCancellationLog
{
    [LoggerMessage(EventId = 1201, Level = LogLevel.Information,
        Message = "Auto-cancel pass: {Expired} expired (R4), {AutoCanceled} auto-canceled (R5), {Warned} warned.")]
    public static partial void PassCompleted(this ILogger logger, int expired, int autoCanceled, int warned);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Error,
        Message = "Auto-cancel pass failed; trying again in {Interval}.")]
    public static partial void PassFailed(this ILogger logger, Exception exception, TimeSpan interval);

    /// <summary>The refusal's code (or the exception's type), not its text.</summary>
    [LoggerMessage(EventId = 1203, Level = LogLevel.Information,
        Message = "Auto-cancel skipped order {OrderId}: {Cause}; the next pass sees it again.")]
    public static partial void OrderSkipped(this ILogger logger, string orderId, string cause);

    /// <summary>Debug: with several instances, every pass but one is skipped this way.</summary>
    [LoggerMessage(EventId = 1204, Level = LogLevel.Debug,
        Message = "Auto-cancel pass skipped: a runner {Where} holds its lock and is doing it.")]
    public static partial void PassHeldByAnotherRunner(this ILogger logger, string where);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Warning,
        Message = "Auto-cancel pass stopped part-way: the session of its lock broke ({Expired} expired, {AutoCanceled} auto-canceled, {Warned} warned so far); the lock's next holder does the rest.")]
    public static partial void PassLockLost(this ILogger logger, int expired, int autoCanceled, int warned);
}
