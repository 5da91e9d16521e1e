using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using OrderService.Application;
using OrderService.Application.Cancellations;
using OrderService.Persistence;
using OrderService.Server;
using OrderService.Server.Access;
using OrderService.Server.Errors;
using OrderService.Server.Health;
using OrderService.Server.HttpJson;
using OrderService.Server.Notifications;
using OrderService.Server.Services;
using OrderService.Server.Telemetry;

var builder = WebApplication.CreateBuilder(args);

// `dotnet run --project src/OrderService.Server -- mint-token seller SELLER-1` prints a
// development token signed with the configured key, and exits.
if (args.Length > 0 && args[0] == "mint-token")
{
    return TokenMinter.RunCommand(args[1..], TokenSettings.From(builder.Configuration));
}

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddOrderDatabase();
builder.Services.AddDatabaseConfigurationCheck();
builder.Services.AddOrderApplication();
builder.Services.AddSingleton<EventLogSignal>();
builder.Services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.Section)
    .Validate(o => o.HeartbeatInterval > TimeSpan.Zero && o.PollInterval > TimeSpan.Zero && o.SlowSubscriberTimeout > TimeSpan.Zero
        && o.StalledWriteTimeout > TimeSpan.Zero && o.Retention > TimeSpan.Zero && o.IdempotencyRetention > TimeSpan.Zero
        && o.PruneInterval > TimeSpan.Zero && o.BatchSize > 0 && o.BufferCapacity > 0 && o.TailCapacity > 0,
        "Notifications: every interval must be positive, BatchSize, BufferCapacity and TailCapacity at least 1.")
    .ValidateOnStart();
builder.Services.AddScoped<NotificationFeed>();
builder.Services.AddSingleton<EventLogTail>();
builder.Services.AddHostedService(services => services.GetRequiredService<EventLogTail>());
builder.Services.AddSingleton<NotificationStreams>();
builder.Services.AddSingleton<EventLogRetention>();
builder.Services.AddHostedService(services => services.GetRequiredService<EventLogRetention>());
builder.Services.AddHostedService<PostgresEventListener>();
builder.Services.AddHostedService<PostgresEventPublisher>();
builder.Services.AddOptions<AutoCancelOptions>().BindConfiguration(AutoCancelOptions.Section)
    .Validate(o => o.Interval > TimeSpan.Zero && o.WarningLeadTime > TimeSpan.Zero && o.BatchSize > 0,
        "AutoCancel: Interval and WarningLeadTime must be positive, BatchSize at least 1.")
    .ValidateOnStart();
// A missing or short signing key stops the start, instead of failing every call.
builder.Services.AddOptions<TokenSettings>().BindConfiguration("Authentication")
    .Validate(t => t.SigningKey.Length >= 32, "Authentication:SigningKey must be set to at least 32 characters.")
    .ValidateOnStart();
builder.Services.AddSingleton<OrderViewRenderer>();
builder.Services.AddHostedService(services => services.GetRequiredService<OrderViewRenderer>());
builder.Services.AddSingleton<AutoCancellationService>();
builder.Services.AddHostedService(services => services.GetRequiredService<AutoCancellationService>());

builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
// Configured from IConfiguration when first used, so test hosts can supply their key.
builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
    .Configure<IConfiguration>((options, configuration) =>
    {
        var tokens = TokenSettings.From(configuration);
        // Keep the token's claim names ("role", "seller_id") as they are.
        options.MapInboundClaims = false;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = tokens.Issuer,
            ValidAudience = tokens.Audience,
            IssuerSigningKey = tokens.Key(),
            // Tolerance for the issuer's clock: 5 s, not the library's default 5 minutes (or
            // the minute this service used), so an expired token stops working within
            // seconds. Documented in the README ("Access").
            ClockSkew = TimeSpan.FromSeconds(5),
        };
    });

builder.Services.AddGrpc(options =>
{
    // A full cancellation feed (20,000 lines with notes) is larger than gRPC's 4 MB default.
    options.MaxReceiveMessageSize = 32 * 1024 * 1024;
    // Order matters: access is decided before the method runs, and domain refusals
    // thrown by the method are mapped on the way out.
    options.Interceptors.Add<AccessInterceptor>();
    options.Interceptors.Add<ErrorInterceptor>();
}).AddHttpJson();
builder.Services.AddGrpcReflection();
builder.Services.AddCallerRateLimiting();
builder.Services.AddSingleton<DatabaseHealth>();
builder.Services.AddHostedService(services => services.GetRequiredService<DatabaseHealth>());
builder.Services.AddGrpcHealthChecks().AddCheck<DatabaseHealth>("database");
// Traces, metrics and their exporters (OpenTelemetry:*; docs/observability.md).
builder.AddOrderTelemetry();

try
{
    var app = builder.Build();
    // Every section's checks (ValidateOnStart) before the first use of the database, so a
    // mistake is told as a mistake, not as a failed migration.
    app.Services.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate();

    if (app.Configuration.GetValue("Database:MigrateOnStartup", true))
    {
        await using var scope = app.Services.CreateAsyncScope();
        await DatabaseSetup.MigrateAsync(scope.ServiceProvider.GetRequiredService<OrderDbContext>());
    }

    // The Prometheus scrape, on its own HTTP/1.1 endpoint (Kestrel:Endpoints:Metrics) only.
    app.UseOrderMetricsEndpoint();
    // The route first (gRPC method or HTTP/JSON route), then who calls (the token, if valid),
    // then the caller's rate limit, then, before gRPC or the JSON transcoder reads a request, a
    // message that cannot be read gets INVALID_ARGUMENT, not UNKNOWN or a bare 400.
    app.UseRouting();
    app.UseAuthentication();
    app.UseRateLimiter();
    app.UseMiddleware<UnreadableRequests>();
    app.UseMiddleware<UnreadableJson>();
    app.MapOpenApiDocument();
    app.MapGrpcService<OrderGrpcService>();
    app.MapGrpcService<RefundGrpcService>();
    app.MapGrpcService<NotificationGrpcService>();
    app.MapGrpcHealthChecksService();
    app.MapGrpcReflectionService();

    await app.RunAsync();
}
catch (Exception exception) when (ConfigurationChecks.Mistakes(exception) is { } mistakes)
{
    return ConfigurationChecks.Report(mistakes);
}

return 0;
