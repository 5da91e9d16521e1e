using System.Globalization;
using System.Threading.RateLimiting;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using OrderService.Application.Errors;
using OrderService.Server.HttpJson;

namespace OrderService.Server.Access;

/// <summary>Settings of the per-caller rate limit (configuration section "RateLimiting").</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimiting";

    public bool Enabled { get; set; } = true;

    /// <summary>Calls each caller may make per second, sustained.</summary>
    public int PermitsPerSecond { get; set; } = 1000;

    /// <summary>Calls a caller may make at once after a quiet spell.</summary>
    public int Burst { get; set; } = 2000;
}

/// <summary>A token bucket per caller (ASP.NET Core's rate limiter): one seller's runaway
/// loop cannot starve the others. The caller is the token's role and id (a seller, a buyer,
/// a marketplace service); a call without a valid token is counted by its address. Only the
/// three services are limited, by gRPC and by their HTTP/JSON routes (/v1/...) alike, from one
/// bucket per caller: health checks, reflection and the OpenAPI document are not. A call over
/// the limit is RESOURCE_EXHAUSTED with ErrorInfo RATE_LIMITED and a google.rpc.RetryInfo
/// saying when to try again, before its message is read: as a gRPC status to a gRPC call, as
/// HTTP 429 with a Retry-After header and the status as JSON to an HTTP/JSON call.</summary>
public static class CallerRateLimiting
{
    private const string LimitedPackage = "orderservice.v1";
    private const string LimitedPrefix = "/" + LimitedPackage + ".";

    public static IServiceCollection AddCallerRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section)
            .Validate(o => o.PermitsPerSecond > 0 && o.Burst > 0, "RateLimiting: PermitsPerSecond and Burst must be at least 1.")
            .ValidateOnStart();
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var options = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                if (!options.Enabled || !IsLimited(context))
                {
                    return RateLimitPartition.GetNoLimiter("unlimited");
                }

                return RateLimitPartition.GetTokenBucketLimiter(CallerKey(context), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.Burst,
                    // Refilled ten times a second where the rate divides so, so that a caller at
                    // its sustained rate never waits a whole second; otherwise once a second.
                    TokensPerPeriod = options.PermitsPerSecond % 10 == 0 ? options.PermitsPerSecond / 10 : options.PermitsPerSecond,
                    ReplenishmentPeriod = options.PermitsPerSecond % 10 == 0 ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            limiter.OnRejected = (rejected, _) =>
            {
                var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) && retryAfter > TimeSpan.Zero
                    ? retryAfter
                    : TimeSpan.FromMilliseconds(100);
                return WriteRateLimited(rejected.HttpContext, wait);
            };
        });
        return services;
    }

    /// <summary>A gRPC call of the three services (by its path, whether or not it names a
    /// method that exists), or a call of one of their HTTP/JSON routes (by the route the
    /// request matched: the rate limiter runs after routing).</summary>
    private static bool IsLimited(HttpContext context) =>
        context.Request.Path.Value?.StartsWith(LimitedPrefix, StringComparison.Ordinal) == true
        || context.GetEndpoint()?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>()?.MethodDescriptor.Service.File.Package == LimitedPackage;

    /// <summary>"seller:S-1", "buyer:B-1", "marketplace:intake", or "address:10.0.0.7".</summary>
    private static string CallerKey(HttpContext context)
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated == true && user.FindFirst(TokenClaims.Role)?.Value is { } role)
        {
            var id = user.FindFirst(TokenClaims.SellerId)?.Value ?? user.FindFirst(TokenClaims.BuyerId)?.Value ?? user.FindFirst("sub")?.Value;
            return $"{role}:{id}";
        }

        return "address:" + context.Connection.RemoteIpAddress;
    }

    private static ValueTask WriteRateLimited(HttpContext context, TimeSpan wait)
    {
        var milliseconds = (long)Math.Ceiling(wait.TotalMilliseconds);
        var message = $"Too many calls from this caller; retry in {milliseconds} ms.";
        var status = ErrorStatus.Build(Google.Rpc.Code.ResourceExhausted, message,
            ErrorStatus.Info("RATE_LIMITED", new Dictionary<string, string> { ["retry_after_ms"] = milliseconds.ToString(CultureInfo.InvariantCulture) }),
            new RetryInfo { RetryDelay = Duration.FromTimeSpan(wait) });
        var response = context.Response;
        if (!JsonStatus.IsGrpc(context.Request))
        {
            response.Headers.RetryAfter = Math.Ceiling(wait.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            return new ValueTask(JsonStatus.WriteAsync(response, status));
        }

        Errors.UnreadableRequests.WriteTrailersOnly(response, status);
        return ValueTask.CompletedTask;
    }
}
