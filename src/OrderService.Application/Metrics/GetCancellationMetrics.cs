using Google.Protobuf.WellKnownTypes;
using OrderService.Application.Access;
using OrderService.Contracts.V1;

namespace OrderService.Application.Metrics;

/// <summary>The seller's cancellation rate over a window ending now (R17), with the orders
/// it counts.</summary>
public sealed class GetCancellationMetrics(CancellationRateQuery rates, TimeProvider clock)
{
    public async Task<GetCancellationMetricsResponse> ExecuteAsync(Caller caller, TimeSpan window, CancellationToken cancellationToken)
    {
        var end = clock.GetUtcNow();
        var summary = await rates.ForSellerAsync(caller.Id, end - window, end, cancellationToken);
        var response = new GetCancellationMetricsResponse
        {
            WindowStart = Timestamp.FromDateTimeOffset(summary.WindowStart),
            WindowEnd = Timestamp.FromDateTimeOffset(summary.WindowEnd),
            CountedCancellations = summary.CountedCancellations,
            TotalOrders = summary.TotalOrders,
            RateBasisPoints = summary.RateBasisPoints,
            TargetBasisPoints = summary.TargetBasisPoints,
            TargetMet = summary.TargetMet,
        };
        response.CountedOrderIds.AddRange(summary.CountedOrderIds);
        return response;
    }
}
