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

    [LoggerMessage(EventId = 1204, Level = LogLevel.Debug,
        Message = "Auto-cancel pass skipped: another runner on the database is doing it.")]
    public static partial void PassRanElsewhere(this ILogger logger);
}
