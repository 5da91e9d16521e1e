namespace OrderService.Server.Health;

/// <summary>The health checks' log lines (event ids 2200-2299).</summary>
internal static partial class HealthLog
{
    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning, Message = "Database health probe failed.")]
    public static partial void DatabaseProbeFailed(this ILogger logger, Exception exception);
}
