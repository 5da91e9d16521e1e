namespace OrderService.Server.Telemetry;

/// <summary>The telemetry setup's log lines (event ids 2400-2499).</summary>
internal static partial class TelemetryLog
{
    [LoggerMessage(EventId = 2401, Level = LogLevel.Information,
        Message = "Prometheus scrape not served: no Kestrel endpoint '{Endpoint}' is configured (Kestrel:Endpoints:{Endpoint}:Url, Protocols Http1).")]
    public static partial void ScrapeEndpointNotConfigured(this ILogger logger, string endpoint);
}
