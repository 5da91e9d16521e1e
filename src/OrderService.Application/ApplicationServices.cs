using Microsoft.Extensions.DependencyInjection;
using OrderService.Application.Cancellations;
using OrderService.Application.Feeds;
using OrderService.Application.Idempotency;
using OrderService.Application.Metrics;
using OrderService.Application.Orders;
using OrderService.Application.Refunds;
using OrderService.Application.Telemetry;
using OrderService.Application.Templates;

namespace OrderService.Application;

/// <summary>Registers the use cases, queries and the feed engine. Each is scoped: it works
/// on the request's one OrderDbContext, the unit of work.</summary>
public static class ApplicationServices
{
    public static IServiceCollection AddOrderApplication(this IServiceCollection services)
    {
        // The business metrics (the process-wide Meter "OrderService"), told by the database
        // of what each commit changed.
        services.AddMetrics();
        services.AddSingleton<OrderServiceMetrics>();
        services.AddSingleton<OrderService.Persistence.ICommittedEventsObserver>(s => s.GetRequiredService<OrderServiceMetrics>());

        // Loading, saving and reading.
        services.AddScoped<OrderRepository>();
        services.AddScoped<IdempotentTransactions>();
        services.AddScoped<OrderViewQuery>();
        services.AddScoped<OrderListQuery>();
        services.AddScoped<RenderStaleViews>();
        // Rendered into each changed order's row by OrderDbContext (stateless).
        services.AddSingleton<OrderService.Persistence.IOrderViewRenderer, OrderViews>();
        services.AddScoped<CancellationRateQuery>();
        services.AddScoped<FeedRunner>();

        // Orders/
        services.AddScoped<CreateOrder>();
        services.AddScoped<AuthorizePayment>();
        services.AddScoped<GetOrder>();
        services.AddScoped<ConfirmShipment>();

        // Cancellations/, Feeds/, Metrics/, Templates/
        services.AddScoped<CancelOrder>();
        services.AddScoped<RequestCancellation>();
        services.AddScoped<CancellationFeed>();
        services.AddScoped<AdjustmentFeed>();
        services.AddScoped<GetCancellationMetrics>();
        services.AddScoped<GetReplyTemplate>();

        // Refunds/
        services.AddScoped<GetRefundableAmounts>();
        services.AddScoped<RefundOrder>();
        services.AddScoped<CancelItems>();
        services.AddScoped<RecordReturn>();
        services.AddScoped<RequestCarrierReturn>();
        services.AddScoped<RequestAddressChange>();
        services.AddScoped<RefundListQuery>();

        // Reports/
        services.AddScoped<Reports.OrderReport>();
        return services;
    }
}
