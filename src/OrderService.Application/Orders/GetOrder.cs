using OrderService.Application.Access;
using OrderService.Application.Mapping;
using OrderService.Contracts.V1;

namespace OrderService.Application.Orders;

/// <summary>One order as the caller may see it (R1: no address while PENDING).</summary>
public sealed class GetOrder(OrderRepository orders)
{
    public async Task<GetOrderResponse> ExecuteAsync(Caller caller, string orderId, CancellationToken cancellationToken) =>
        new() { Order = ContractMapper.ToProto(await orders.ReadVisibleAsync(caller, orderId, cancellationToken)) };
}
