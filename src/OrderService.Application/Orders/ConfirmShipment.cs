using OrderService.Application.Access;
using OrderService.Application.Idempotency;
using OrderService.Application.Mapping;
using OrderService.Contracts.V1;
using OrderService.Domain;

namespace OrderService.Application.Orders;

/// <summary>The seller confirms units that shipped (R2, R12; R13 when the buyer asked to
/// cancel).</summary>
public sealed class ConfirmShipment(OrderRepository orders, IdempotentTransactions transactions, TimeProvider clock)
{
    /// <summary>What the seller confirms; <see cref="ShippedAt"/> null means now.</summary>
    public sealed record Command(
        string OrderId,
        IReadOnlyList<ItemQuantity> Lines,
        string Carrier,
        string TrackingNumber,
        DateTimeOffset? ShippedAt,
        bool AcknowledgeBuyerCancellationRequest);

    public Task<ConfirmShipmentResponse> ExecuteAsync(Caller caller, RequestKey key, Command command, CancellationToken cancellationToken) =>
        transactions.RunAsync(caller, key, async token =>
        {
            var order = await orders.FindVisibleAsync(caller, command.OrderId, token);
            var now = clock.GetUtcNow();
            var shipment = order.ConfirmShipment(command.Lines, command.Carrier, command.TrackingNumber, command.ShippedAt ?? now,
                command.AcknowledgeBuyerCancellationRequest, now);
            return new ConfirmShipmentResponse { Order = ContractMapper.ToProto(order), Shipment = ContractMapper.ToProto(shipment) };
        }, cancellationToken);
}
