using OrderService.Application.Access;
using OrderService.Application.Idempotency;
using OrderService.Application.Mapping;
using OrderService.Application.Metrics;
using OrderService.Application.Orders;
using OrderService.Contracts.V1;
using OrderService.Domain;

namespace OrderService.Application.Cancellations;

/// <summary>The seller cancels an order (R2, R10-R12, R14-R16, R18), or with validate_only
/// sees what would happen, the effect on its 7-day rate (R17) included.</summary>
public sealed class CancelOrder(
    OrderRepository orders, IdempotentTransactions transactions, CancellationRateQuery rates, TimeProvider clock)
{
    public async Task<CancelOrderResponse> ExecuteAsync(
        Caller caller, RequestKey key, SellerCancellation command, bool validateOnly, CancellationToken cancellationToken)
    {
        if (validateOnly)
        {
            // Nothing is written, so nothing is stored under the request_id either: the
            // real request may follow with the same id.
            var order = await orders.FindVisibleAsync(caller, command.OrderId, cancellationToken);
            var before = CancellationRate.OrderFact.Of(order);
            var attribution = order.PreviewSellerCancellation(command.Reason, command.Requester, command.Note, clock.GetUtcNow());
            var wouldCancel = order.Items
                .Where(item => item.QuantityUnshipped > 0)
                .Select(item => new ItemQuantity(item.Id, item.QuantityUnshipped));
            var preview = ContractMapper.ToProto(attribution, wholeOrder: order.Items.All(item => item.QuantityShipped == 0), wouldCancel);
            return await RespondAsync(order, attribution, preview, before, cancellationToken);
        }

        return await transactions.RunAsync(caller, key, async token =>
        {
            var order = await orders.FindVisibleAsync(caller, command.OrderId, token);
            var before = CancellationRate.OrderFact.Of(order);
            var act = order.CancelBySeller(command.Reason, command.Requester, command.Note, clock.GetUtcNow());
            return await RespondAsync(order, act.Attribution, ContractMapper.ToProto(act), before, token);
        }, cancellationToken);
    }

    private async Task<CancelOrderResponse> RespondAsync(
        Domain.Order order, CancellationAttribution attribution, Contracts.V1.Cancellation cancellation,
        CancellationRate.OrderFact orderBefore, CancellationToken cancellationToken)
    {
        // The 7 days up to and including the cancellation, so that it is in them (R17).
        var rateBefore = await rates.ThroughAsync(order.SellerId, attribution.CanceledAt, [orderBefore], cancellationToken);
        var impact = CancellationRate.Impact(rateBefore, orderBefore, attribution.CountsAgainstSellerRate, attribution.CanceledAt);
        return new CancelOrderResponse
        {
            Order = ContractMapper.ToProto(order),
            Cancellation = cancellation,
            RateImpact = ContractMapper.ToProto(impact),
        };
    }
}
