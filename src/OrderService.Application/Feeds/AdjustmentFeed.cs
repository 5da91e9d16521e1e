using OrderService.Application.Access;
using OrderService.Application.Mapping;
using OrderService.Application.Orders;
using OrderService.Application.Refunds;
using OrderService.Contracts.V1;

namespace OrderService.Application.Feeds;

/// <summary>The adjustment feed (R20): each line refunds one order as RefundOrder would (in
/// full when it names no items, in part otherwise), through the one feed engine: one bad
/// line never undoes the others, a crashed feed resumes after its committed chunks, and
/// validate_only changes nothing. Lines for the same order see the earlier lines' refunds,
/// as successive RefundOrder calls would (R22).</summary>
public sealed class AdjustmentFeed(OrderRepository orders, FeedRunner runner) : IFeedLines<RefundOrder.Command>
{
    /// <summary>The most lines one feed may hold.</summary>
    public const int MaxLines = 20_000;

    public int ChunkSize => FeedRunner.DefaultChunkSize;

    public Task<SubmitAdjustmentFeedResponse> SubmitAsync(
        Caller caller, Idempotency.RequestKey key, IReadOnlyList<FeedLine<RefundOrder.Command>> lines, bool validateOnly,
        CancellationToken cancellationToken) =>
        runner.RunAsync<RefundOrder.Command, SubmitAdjustmentFeedResponse>(caller, key, lines, validateOnly, this, cancellationToken);

    public IFeedRun<RefundOrder.Command> Begin(Caller caller, DateTimeOffset receivedAt) => new Run(orders, caller, receivedAt);

    /// <summary>One run: nothing is carried from chunk to chunk, each chunk loads its orders.</summary>
    private sealed class Run(OrderRepository orders, Caller caller, DateTimeOffset receivedAt) : IFeedRun<RefundOrder.Command>
    {
        public async Task<Func<RefundOrder.Command, FeedLineResult>> PrepareAsync(
            IReadOnlyList<FeedLine<RefundOrder.Command>> lines, CancellationToken cancellationToken)
        {
            var loaded = await orders.FindVisibleAsync(caller, lines.Where(l => l.Command is not null).Select(l => l.OrderId), cancellationToken);
            return line =>
            {
                var order = loaded.GetValueOrDefault(line.OrderId) ?? throw OrderRepository.NotFound(line.OrderId);
                var refund = line.Items.Count == 0
                    ? order.RefundInFull(line.Reason, receivedAt)
                    : order.RefundPartially(line.Reason, line.Items, receivedAt);
                return new FeedLineResult { Refund = ContractMapper.ToProto(refund, order.Id) };
            };
        }

        public void Committed()
        {
        }

        public void Forget()
        {
        }
    }
}
