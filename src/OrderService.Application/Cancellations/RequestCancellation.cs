using OrderService.Application.Access;
using OrderService.Application.Idempotency;
using OrderService.Application.Mapping;
using OrderService.Application.Orders;
using OrderService.Contracts.V1;

namespace OrderService.Application.Cancellations;

/// <summary>The buyer asks to cancel through the official route (R13): canceled at once
/// while PENDING, otherwise put before the seller.</summary>
public sealed class RequestCancellation(OrderRepository orders, IdempotentTransactions transactions, TimeProvider clock)
{
    public Task<RequestCancellationResponse> ExecuteAsync(
        Caller caller, RequestKey key, string orderId, string reason, CancellationToken cancellationToken) =>
        transactions.RunAsync(caller, key, async token =>
        {
            var order = await orders.FindVisibleAsync(caller, orderId, token);
            order.RequestCancellationByBuyer(reason, clock.GetUtcNow());
            return new RequestCancellationResponse { Order = ContractMapper.ToProto(order) };
        }, cancellationToken);
}
