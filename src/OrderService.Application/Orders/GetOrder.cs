using OrderService.Application.Access;
using OrderService.Contracts.V1;

namespace OrderService.Application.Orders;

/// <summary>One order as the caller may see it (R1: no address while PENDING).</summary>
public sealed class GetOrder(OrderViewQuery views)
{
    public async Task<GetOrderResponse> ExecuteAsync(Caller caller, string orderId, CancellationToken cancellationToken) =>
        new() { Order = await views.GetAsync(caller, orderId, cancellationToken) };
}
