using OrderService.Application.Access;
using OrderService.Application.Idempotency;
using OrderService.Application.Mapping;
using OrderService.Application.Orders;
using OrderService.Contracts.V1;
using OrderService.Domain;

namespace OrderService.Application.Refunds;

/// <summary>R24: where the money of every item and component of an order stands, before
/// any refund is made.</summary>
public sealed class GetRefundableAmounts(OrderRepository orders)
{
    public async Task<GetRefundableAmountsResponse> ExecuteAsync(Caller caller, string orderId, CancellationToken cancellationToken) =>
        ContractMapper.ToProto((await orders.ReadVisibleAsync(caller, orderId, cancellationToken)).GetRefundableAmounts());
}

/// <summary>R20, R22, R24: the seller refunds shipped units, in full (no items named) or in
/// part, or with validate_only sees the refund that would be made.</summary>
public sealed class RefundOrder(OrderRepository orders, IdempotentTransactions transactions, TimeProvider clock)
{
    public sealed record Command(string OrderId, Domain.AdjustmentReason Reason, IReadOnlyList<Domain.ItemRefund> Items);

    public async Task<RefundOrderResponse> ExecuteAsync(
        Caller caller, RequestKey key, Command command, bool validateOnly, CancellationToken cancellationToken)
    {
        if (validateOnly)
        {
            // The real refund on the loaded order, never saved; nothing is stored under the
            // request_id, so the real request may follow with it.
            try
            {
                var order = await orders.FindVisibleAsync(caller, command.OrderId, cancellationToken);
                return Respond(order, Refund(order, command));
            }
            finally
            {
                transactions.DiscardChanges();
            }
        }

        return await transactions.RunAsync(caller, key, async token =>
        {
            var order = await orders.FindVisibleAsync(caller, command.OrderId, token);
            return Respond(order, Refund(order, command));
        }, cancellationToken);
    }

    private Domain.Refund Refund(Domain.Order order, Command command) =>
        command.Items.Count == 0
            ? order.RefundInFull(command.Reason, clock.GetUtcNow())
            : order.RefundPartially(command.Reason, command.Items, clock.GetUtcNow());

    private static RefundOrderResponse Respond(Domain.Order order, Domain.Refund refund) =>
        new() { Refund = ContractMapper.ToProto(refund, order.Id) };
}

/// <summary>R21: the seller cancels some unshipped units; the rest of the order goes on.
/// Attribution and rate rules as for CancelOrder (R14, R15, R17, R18).</summary>
public sealed class CancelItems(OrderRepository orders, IdempotentTransactions transactions, TimeProvider clock)
{
    public sealed record Command(
        string OrderId, IReadOnlyList<ItemQuantity> Items, Domain.CancelReason Reason, Domain.CancellationRequester Requester);

    public Task<CancelItemsResponse> ExecuteAsync(Caller caller, RequestKey key, Command command, CancellationToken cancellationToken) =>
        transactions.RunAsync(caller, key, async token =>
        {
            var order = await orders.FindVisibleAsync(caller, command.OrderId, token);
            var canceled = order.CancelItems(command.Items, command.Reason, command.Requester, null, clock.GetUtcNow());
            return new CancelItemsResponse
            {
                Order = ContractMapper.ToProto(order),
                Refund = ContractMapper.ToProto(canceled, order.Id, order.CurrencyCode),
            };
        }, cancellationToken);
}

/// <summary>R23, R42, R43: units received back are refunded, minus deductions such as the
/// return fee; a carrier return in progress is closed by it.</summary>
public sealed class RecordReturn(OrderRepository orders, IdempotentTransactions transactions, TimeProvider clock)
{
    public sealed record Command(string OrderId, IReadOnlyList<ItemQuantity> Lines, IReadOnlyList<Domain.ChargeAmount> Deductions);

    public Task<RecordReturnResponse> ExecuteAsync(Caller caller, RequestKey key, Command command, CancellationToken cancellationToken) =>
        transactions.RunAsync(caller, key, async token =>
        {
            var order = await orders.FindVisibleAsync(caller, command.OrderId, token);
            var refund = order.RecordReturn(command.Lines, command.Deductions, clock.GetUtcNow());
            return new RecordReturnResponse { Refund = ContractMapper.ToProto(refund, order.Id) };
        }, cancellationToken);
}

/// <summary>R42, R43: the seller has the carrier bring a shipped package back.</summary>
public sealed class RequestCarrierReturn(OrderRepository orders, IdempotentTransactions transactions, TimeProvider clock)
{
    public Task<RequestCarrierReturnResponse> ExecuteAsync(
        Caller caller, RequestKey key, string orderId, Domain.CarrierReturnCause cause, string note, CancellationToken cancellationToken) =>
        transactions.RunAsync(caller, key, async token =>
        {
            var order = await orders.FindVisibleAsync(caller, orderId, token);
            order.RequestCarrierReturn(cause, note, clock.GetUtcNow());
            return new RequestCarrierReturnResponse { Order = ContractMapper.ToProto(order) };
        }, cancellationToken);
}

/// <summary>R40-R43: the buyer can no longer receive at the order's address. The address is
/// never edited; the answer is the path for the order's state, with the reply for the buyer.</summary>
public sealed class RequestAddressChange(OrderRepository orders, IdempotentTransactions transactions, TimeProvider clock)
{
    public Task<RequestAddressChangeResponse> ExecuteAsync(
        Caller caller, RequestKey key, string orderId, string reason, CancellationToken cancellationToken) =>
        transactions.RunAsync(caller, key, async token =>
        {
            var order = await orders.FindVisibleAsync(caller, orderId, token);
            var decision = order.RequestAddressChange(reason, clock.GetUtcNow());
            return new RequestAddressChangeResponse
            {
                Outcome = (Contracts.V1.AddressChangeOutcome)decision.Outcome,
                Reply = decision.ReplyTemplate is { } template ? Reply(template, order) : null,
                Order = ContractMapper.ToProto(order),
            };
        }, cancellationToken);

    /// <summary>The reply in Japanese, the marketplace's language: the contract has no way
    /// yet to learn the buyer's.</summary>
    private static ReplyTemplate Reply(Domain.ReplyTemplateId template, Domain.Order order)
    {
        var (subject, body) = ReplyTemplates.Render(template, "ja", order);
        return new ReplyTemplate { TemplateId = (Contracts.V1.ReplyTemplateId)template, LanguageCode = "ja", Subject = subject, Body = body };
    }
}
