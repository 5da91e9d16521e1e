using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using OrderService.Application.Telemetry;

namespace OrderService.Server.Telemetry;

/// <summary>OpenTelemetry for the host (docs/observability.md): a trace per RPC (ASP.NET
/// Core's request span, named and tagged as a gRPC server span) with a span per database
/// command under it (EF Core, every provider); the business metrics of
/// <see cref="OrderServiceMetrics"/> and ASP.NET Core's own; OTLP to a collector when one is
/// configured, and the Prometheus scrape on its own HTTP/1.1 endpoint.
///
/// What is never recorded: request or response messages, query parameters (EF Core's
/// instrumentation records none unless OTEL_DOTNET_EXPERIMENTAL_EFCORE_ENABLE_TRACE_DB_QUERY_PARAMETERS
/// is set, and <see cref="QueryParameterScrubber"/> removes them even then), the
/// authorization header. The SQL text EF Core records is parameterized and its literals are
/// masked by the instrumentation.</summary>
public static class TelemetrySetup
{
    public static WebApplicationBuilder AddOrderTelemetry(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        builder.Services.AddSingleton(options);
        if (!options.Enabled)
        {
            return builder;
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(options.ServiceName))
            .WithTracing(tracing => tracing
                .SetSampler(new ParentBasedSampler(new RpcRootsOnly()))
                .AddAspNetCoreInstrumentation(aspNetCore =>
                {
                    // A scrape every few seconds is not an RPC worth a trace.
                    aspNetCore.Filter = context => !context.Request.Path.StartsWithSegments(TelemetryOptions.ScrapePath);
                    aspNetCore.EnrichWithHttpResponse = (activity, _) => GrpcSpans.Complete(activity);
                })
                .AddEntityFrameworkCoreInstrumentation()
                .AddProcessor(new QueryParameterScrubber()))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(OrderServiceMetrics.MeterName).AddAspNetCoreInstrumentation();
                if (options.Prometheus)
                {
                    metrics.AddPrometheusExporter();
                }
            });

        if (!string.IsNullOrWhiteSpace(options.OtlpEndpoint))
        {
            telemetry.WithLogging(configureBuilder: null, configureOptions: logs => logs.IncludeFormattedMessage = true)
                .UseOtlpExporter(ProtocolOf(options.OtlpProtocol), new Uri(options.OtlpEndpoint));
        }
        else if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            // The standard variables: OTEL_EXPORTER_OTLP_ENDPOINT, _PROTOCOL, _HEADERS...
            telemetry.WithLogging(configureBuilder: null, configureOptions: logs => logs.IncludeFormattedMessage = true)
                .UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>Serves <c>/metrics</c> to requests that arrive on the Kestrel endpoint
    /// <c>Kestrel:Endpoints:Metrics</c> (its port), and to no other: the scrape never shares
    /// the gRPC endpoint. Called first in the pipeline, so a scrape needs no token and is not
    /// rate limited. Nothing is served when telemetry or Prometheus is off, or that endpoint
    /// is not configured.</summary>
    public static WebApplication UseOrderMetricsEndpoint(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<TelemetryOptions>();
        if (!options.Enabled || !options.Prometheus)
        {
            return app;
        }

        var url = app.Configuration[$"Kestrel:Endpoints:{TelemetryOptions.MetricsEndpointName}:Url"];
        if (string.IsNullOrWhiteSpace(url))
        {
            app.Logger.ScrapeEndpointNotConfigured(TelemetryOptions.MetricsEndpointName);
            return app;
        }

        var port = BindingAddress.Parse(url).Port;
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context => IsScrape(context, port));
        return app;
    }

    /// <summary>A GET of the scrape path on the metrics endpoint: its port is the
    /// connection's local port; without a socket (the in-process test host) the port the
    /// request was addressed to.</summary>
    private static bool IsScrape(HttpContext context, int port) =>
        context.Request.Path == TelemetryOptions.ScrapePath
        && (context.Connection.LocalPort == port || (context.Connection.LocalPort == 0 && context.Request.Host.Port == port));

    private static OtlpExportProtocol ProtocolOf(string protocol) => protocol.Trim().ToLowerInvariant() switch
    {
        "grpc" => OtlpExportProtocol.Grpc,
        "http/protobuf" or "httpprotobuf" => OtlpExportProtocol.HttpProtobuf,
        _ => throw new InvalidOperationException($"OpenTelemetry:OtlpProtocol '{protocol}' is not grpc or http/protobuf."),
    };
}

/// <summary>The sampler for spans without a parent: an RPC's server span starts a trace;
/// anything else does not (the event log's tail, the health probe and the background passes
/// run database commands every few seconds, which would each be a trace of one span). Under
/// <see cref="ParentBasedSampler"/>, so a span with a parent follows it, and a caller's
/// sampling decision (traceparent flags) is kept.</summary>
internal sealed class RpcRootsOnly : Sampler
{
    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
        new(samplingParameters.Kind == ActivityKind.Server ? SamplingDecision.RecordAndSample : SamplingDecision.Drop);
}

/// <summary>Removes query parameter values (<c>db.query.parameter.*</c>) from every span
/// before any exporter sees it: they are what a buyer typed (addresses, names, e-mails).
/// Registered before the exporters, so it runs first when a span ends.</summary>
internal sealed class QueryParameterScrubber : BaseProcessor<Activity>
{
    private const string Prefix = "db.query.parameter.";

    public override void OnEnd(Activity data)
    {
        List<string>? parameters = null;
        foreach (var tag in data.TagObjects)
        {
            if (tag.Key.StartsWith(Prefix, StringComparison.Ordinal))
            {
                (parameters ??= []).Add(tag.Key);
            }
        }

        foreach (var key in parameters ?? [])
        {
            data.SetTag(key, null);
        }
    }
}

/// <summary>Names and tags ASP.NET Core's request span as a gRPC server span (OpenTelemetry's
/// RPC conventions), from the tags grpc-dotnet puts on it: "orderservice.v1.OrderService/CancelOrder",
/// rpc.system, rpc.service, rpc.method, rpc.grpc.status_code, and an error status for the
/// codes that are the server's failure.</summary>
internal static class GrpcSpans
{
    public static void Complete(Activity activity)
    {
        if (activity.GetTagItem("grpc.method") is not string method || method.LastIndexOf('/') is var slash && slash <= 1)
        {
            return;
        }

        activity.DisplayName = method.TrimStart('/');
        activity.SetTag("rpc.system", "grpc");
        activity.SetTag("rpc.service", method[1..slash]);
        activity.SetTag("rpc.method", method[(slash + 1)..]);
        if (activity.GetTagItem("grpc.status_code") is { } status
            && int.TryParse(status.ToString(), System.Globalization.CultureInfo.InvariantCulture, out var code))
        {
            activity.SetTag("rpc.grpc.status_code", code);
            // UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS.
            if (code is 2 or 4 or 12 or 13 or 14 or 15)
            {
                activity.SetStatus(ActivityStatusCode.Error);
            }
        }
    }
}
