using OrderService.Application.Access;
using OrderService.Application.Idempotency;
using OrderService.Application.Mapping;
using OrderService.Contracts.V1;
using OrderService.Domain;

namespace OrderService.Application.Orders;

/// <summary>The marketplace hands over a new order: PENDING, no address (R1).</summary>
public sealed class CreateOrder(OrderRepository orders, IdempotentTransactions transactions, TimeProvider clock)
{
    public Task<CreateOrderResponse> ExecuteAsync(Caller caller, RequestKey key, NewOrder newOrder, CancellationToken cancellationToken) =>
        transactions.RunAsync(caller, key, async token =>
        {
            // The order's own rules first: a mistake in it is reported whether or not the
            // id is taken.
            var order = Domain.Order.Create(newOrder, clock.GetUtcNow());
            if (await orders.ExistsAsync(newOrder.OrderId, token))
            {
                throw new DomainException(ErrorKind.AlreadyExists, "ORDER_ALREADY_EXISTS",
                    $"Order '{newOrder.OrderId}' already exists.", "order_id");
            }

            orders.Add(order);
            return new CreateOrderResponse { Order = ContractMapper.ToProto(order) };
        }, cancellationToken);
}
