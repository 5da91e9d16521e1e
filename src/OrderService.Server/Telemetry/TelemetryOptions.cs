namespace OrderService.Server.Telemetry;

/// <summary>Configuration section "OpenTelemetry" (README, Configuration;
/// docs/observability.md). Read once at start.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "OpenTelemetry";

    /// <summary>Traces, metrics and their exporters at all. Off: nothing listens to the
    /// service's activities and meters, and <c>/metrics</c> is not served.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The <c>service.name</c> of everything exported.</summary>
    public string ServiceName { get; set; } = "orderservice";

    /// <summary>Where an OpenTelemetry collector takes OTLP (traces, metrics, logs). Unset:
    /// the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (with the other <c>OTEL_EXPORTER_OTLP_*</c>
    /// variables) is used when set; otherwise nothing is pushed.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>grpc</c> (port 4317) or <c>http/protobuf</c> (port 4318) for
    /// <see cref="OtlpEndpoint"/>.</summary>
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>Serves the Prometheus scrape (<c>/metrics</c>) on the Kestrel endpoint named
    /// <see cref="MetricsEndpointName"/>, when that endpoint is configured.</summary>
    public bool Prometheus { get; set; } = true;

    /// <summary>The Kestrel endpoint (<c>Kestrel:Endpoints:Metrics</c>) that answers
    /// <c>/metrics</c>: HTTP/1.1, apart from the gRPC endpoint (HTTP/2 only, which
    /// Prometheus cannot scrape).</summary>
    public const string MetricsEndpointName = "Metrics";

    public const string ScrapePath = "/metrics";
}
