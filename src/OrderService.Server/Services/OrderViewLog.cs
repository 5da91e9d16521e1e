namespace OrderService.Server.Services;

/// <summary>The stored views' renderer's log lines (event ids 2300-2399).</summary>
internal static partial class OrderViewLog
{
    [LoggerMessage(EventId = 2301, Level = LogLevel.Information,
        Message = "Rendered the stored views of up to {Orders} orders.")]
    public static partial void StaleViewsRendered(this ILogger logger, int orders);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Warning,
        Message = "Rendering stale order views stopped; reads of those orders load them whole until the next start renders them.")]
    public static partial void StaleViewsStopped(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2303, Level = LogLevel.Warning,
        Message = "Rendering stale order views lost its lock's session after order {After}; waiting for the lock again.")]
    public static partial void StaleViewsLockLost(this ILogger logger, string after);
}
