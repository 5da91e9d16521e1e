using OrderService.Application.Access;
using OrderService.Application.Cancellations;
using OrderService.Application.Mapping;
using OrderService.Application.Metrics;
using OrderService.Application.Orders;
using OrderService.Contracts.V1;
using OrderService.Domain;

namespace OrderService.Application.Feeds;

/// <summary>The cancellation feed (R10): each line cancels one order as CancelOrder would,
/// and reports its effect on the seller's 7-day rate (R17), which each accepted line that
/// counts moves for the next.</summary>
public sealed class CancellationFeed(OrderRepository orders, CancellationRateQuery rates, FeedRunner runner)
    : IFeedLines<SellerCancellation>
{
    /// <summary>The most lines one feed may hold.</summary>
    public const int MaxLines = 20_000;

    public int ChunkSize => FeedRunner.DefaultChunkSize;

    public Task<SubmitCancellationFeedResponse> SubmitAsync(
        Caller caller, Idempotency.RequestKey key, IReadOnlyList<FeedLine<SellerCancellation>> lines, bool validateOnly,
        CancellationToken cancellationToken) =>
        runner.RunAsync<SellerCancellation, SubmitCancellationFeedResponse>(caller, key, lines, validateOnly, this, cancellationToken);

    public async Task<Func<SellerCancellation, FeedLineResult>> PrepareAsync(
        Caller caller, IReadOnlyList<FeedLine<SellerCancellation>> lines, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var loaded = await orders.FindVisibleAsync(caller, lines.Where(l => l.Command is not null).Select(l => l.OrderId), cancellationToken);
        // The rate the lines start from: the seller's, with these orders as loaded.
        var rate = await rates.ThroughAsync(caller.Id, now, loaded.Values.Select(CancellationRate.OrderFact.Of).ToList(), cancellationToken);
        return line =>
        {
            var order = loaded.GetValueOrDefault(line.OrderId) ?? throw OrderRepository.NotFound(line.OrderId);
            var before = CancellationRate.OrderFact.Of(order);
            var act = order.CancelBySeller(line.Reason, line.Requester, line.Note, now);
            var impact = CancellationRate.Impact(rate, before, act.CountsAgainstSellerRate, act.CanceledAt);
            rate = CancellationRate.After(rate, before, act.CountsAgainstSellerRate, act.CanceledAt);
            return new FeedLineResult { Cancellation = ContractMapper.ToProto(act), RateImpact = ContractMapper.ToProto(impact) };
        };
    }
}
