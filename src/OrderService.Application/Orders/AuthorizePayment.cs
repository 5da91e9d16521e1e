using OrderService.Application.Access;
using OrderService.Application.Idempotency;
using OrderService.Application.Mapping;
using OrderService.Contracts.V1;

namespace OrderService.Application.Orders;

/// <summary>The marketplace verified the payment: PENDING to UNSHIPPED, and the address and
/// contact appear (R3, R4).</summary>
public sealed class AuthorizePayment(OrderRepository orders, IdempotentTransactions transactions, TimeProvider clock)
{
    public Task<AuthorizePaymentResponse> ExecuteAsync(
        Caller caller, RequestKey key, string orderId, Domain.ShippingAddress address, Domain.BuyerContact contact,
        CancellationToken cancellationToken) =>
        transactions.RunAsync(caller, key, async token =>
        {
            var order = await orders.FindVisibleAsync(caller, orderId, token);
            order.AuthorizePayment(address, contact, clock.GetUtcNow());
            return new AuthorizePaymentResponse { Order = ContractMapper.ToProto(order) };
        }, cancellationToken);
}
