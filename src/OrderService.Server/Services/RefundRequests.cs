using OrderService.Domain;
using OrderService.Server.Errors;
using Api = OrderService.Contracts.V1;

namespace OrderService.Server.Services;

/// <summary>The shape checks of the refund, return and partial-cancellation requests, and
/// their translation into the domain's terms. What the order allows (how much is
/// refundable, how many units are unshipped or returnable) is the domain's to say.</summary>
internal static class RefundRequests
{
    /// <summary>The most items, lines or amounts one request may name: far more than an
    /// order has, few enough that a hostile request stays small.</summary>
    private const int MaxEntries = 1000;

    /// <summary>RefundOrder's items: none means a full refund; otherwise amounts per item
    /// and component, with optional deductions.</summary>
    public static List<Domain.ItemRefund> ItemRefunds(IReadOnlyList<Api.ItemRefund> items, RequestValidator v)
    {
        Count(items.Count, "items", v);
        var refunds = new List<Domain.ItemRefund>(items.Count);
        for (var i = 0; i < items.Count && i < MaxEntries; i++)
        {
            var field = $"items[{i}]";
            v.Identifier(items[i].OrderItemId, $"{field}.order_item_id");
            refunds.Add(new Domain.ItemRefund(items[i].OrderItemId,
                Amounts(items[i].Amounts, $"{field}.amounts", v, required: true),
                Amounts(items[i].Deductions, $"{field}.deductions", v, required: false)));
        }

        return refunds;
    }

    /// <summary>Amounts per charge component (or deduction), each a valid google.type.Money.</summary>
    public static List<Domain.ChargeAmount> Amounts(IReadOnlyList<Api.ChargeAmount> amounts, string field, RequestValidator v, bool required)
    {
        if (required && amounts.Count == 0)
        {
            v.Add(field, "required: at least one amount");
        }

        Count(amounts.Count, field, v);
        var result = new List<Domain.ChargeAmount>(amounts.Count);
        for (var i = 0; i < amounts.Count && i < MaxEntries; i++)
        {
            v.DefinedEnum(amounts[i].Component, $"{field}[{i}].component");
            result.Add(new Domain.ChargeAmount((ChargeComponent)amounts[i].Component, v.Amount(amounts[i].Amount, $"{field}[{i}].amount")));
        }

        return result;
    }

    /// <summary>Units per item (CancelItems' items, RecordReturn's lines): at least one, each
    /// naming an item and at least 1 unit.</summary>
    public static List<ItemQuantity> Units(IEnumerable<(string OrderItemId, int Quantity)> lines, string field, string quantityField, RequestValidator v)
    {
        var result = lines.Select((line, i) =>
        {
            v.Identifier(line.OrderItemId, $"{field}[{i}].order_item_id");
            v.Range(line.Quantity, $"{field}[{i}].{quantityField}", 1, 1_000_000);
            return new ItemQuantity(line.OrderItemId, line.Quantity);
        }).Take(MaxEntries + 1).ToList();
        if (result.Count == 0)
        {
            v.Add(field, "required: at least one line");
        }

        Count(result.Count, field, v);
        return result;
    }

    /// <summary>One refund, checked alike for RefundOrder and each adjustment feed line.</summary>
    public static Application.Refunds.RefundOrder.Command Refund(
        RequestValidator v, string orderId, Api.AdjustmentReason reason, IReadOnlyList<Api.ItemRefund> items)
    {
        v.Identifier(orderId, "order_id");
        v.DefinedEnum(reason, "reason");
        return new Application.Refunds.RefundOrder.Command(orderId, (AdjustmentReason)reason, ItemRefunds(items, v));
    }

    /// <summary>Each line checked on its own (R20, as R10 for cancellations).</summary>
    public static List<Application.Feeds.FeedLine<Application.Refunds.RefundOrder.Command>> FeedLines(IReadOnlyList<Api.AdjustmentFeedLine> lines) =>
        FeedRequests.Lines(lines, line => line.OrderId, (v, line) => Refund(v, line.OrderId, line.Reason, line.Items));

    private static void Count(int count, string field, RequestValidator v)
    {
        if (count > MaxEntries)
        {
            v.Add(field, $"at most {MaxEntries} entries");
        }
    }
}
