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
public sealed class CancellationFeed(OrderRepository orders, CancellationRateQuery rates, FeedRunner runner, TimeProvider clock)
    : IFeedLines<SellerCancellation>
{
    /// <summary>The most lines one feed may hold.</summary>
    public const int MaxLines = 20_000;

    public int ChunkSize => FeedRunner.DefaultChunkSize;

    public Task<SubmitCancellationFeedResponse> SubmitAsync(
        Caller caller, Idempotency.RequestKey key, IReadOnlyList<FeedLine<SellerCancellation>> lines, bool validateOnly,
        CancellationToken cancellationToken) =>
        runner.RunAsync<SellerCancellation, SubmitCancellationFeedResponse>(caller, key, lines, validateOnly, this, cancellationToken);

    public IFeedRun<SellerCancellation> Begin(Caller caller, DateTimeOffset receivedAt) => new Run(orders, rates, clock, caller, receivedAt);

    /// <summary>One run of the feed. The seller's rate is read once, by the first chunk, and
    /// carried from each committed chunk to the next: reading it for every chunk would read
    /// every counting cancellation of the window again, the feed's own earlier lines among
    /// them. It is read again when a chunk did not commit as applied, or when one of the
    /// chunk's orders changed after the rate was read (another request authorized or
    /// canceled it: the carried totals would be off by it) or no longer agrees with it.
    /// Cancellations of the seller's other orders committed by other requests while the
    /// feed runs are not in the carried rate: the lines report their impact on the rate as
    /// the feed found it, moved by its own lines.</summary>
    private sealed class Run(OrderRepository orders, CancellationRateQuery rates, TimeProvider clock, Caller caller, DateTimeOffset receivedAt)
        : IFeedRun<SellerCancellation>
    {
        private CancellationRate.Summary? _committed;
        private CancellationRate.Summary? _pending;

        /// <summary>When the rate was last read: an order changed later is not in it as it is now.</summary>
        private DateTimeOffset _readAt;

        public async Task<Func<SellerCancellation, FeedLineResult>> PrepareAsync(
            IReadOnlyList<FeedLine<SellerCancellation>> lines, CancellationToken cancellationToken)
        {
            var loaded = await orders.FindVisibleAsync(caller, lines.Where(l => l.Command is not null).Select(l => l.OrderId), cancellationToken);
            var facts = loaded.Values.Select(CancellationRate.OrderFact.Of).ToList();
            CancellationRate.Summary rate;
            if (_committed is { } carried
                && loaded.Values.All(order => order.UpdatedAt <= _readAt)
                && facts.All(fact => CancellationRate.Agrees(carried, fact)))
            {
                rate = carried;
            }
            else
            {
                _readAt = clock.GetUtcNow();
                rate = await rates.ThroughAsync(caller.Id, receivedAt, facts, cancellationToken);
            }

            _pending = rate;
            return line =>
            {
                var order = loaded.GetValueOrDefault(line.OrderId) ?? throw OrderRepository.NotFound(line.OrderId);
                var before = CancellationRate.OrderFact.Of(order);
                var act = order.CancelBySeller(line.Reason, line.Requester, line.Note, receivedAt);
                var impact = CancellationRate.Impact(rate, before, act.CountsAgainstSellerRate, act.CanceledAt);
                _pending = rate = CancellationRate.After(rate, before, act.CountsAgainstSellerRate, act.CanceledAt);
                return new FeedLineResult { Cancellation = ContractMapper.ToProto(act), RateImpact = ContractMapper.ToProto(impact) };
            };
        }

        public void Committed() => (_committed, _pending) = (_pending, null);

        public void Forget() => (_committed, _pending) = (null, null);
    }
}
