namespace OrderService.Server.Services;

/// <summary>The stored views' renderer's log lines (event ids 2300-2399).</summary>
internal static partial class OrderViewLog
{
    [LoggerMessage(EventId = 2301, Level = LogLevel.Information,
        Message = "Rendered the stored views of up to {Orders} orders.")]
    public static partial void StaleViewsRendered(this ILogger logger, int orders);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Warning,
        Message = "Rendering stale order views stopped after order {After}.")]
    public static partial void StaleViewsStopped(this ILogger logger, Exception exception, string? after);
}
