namespace OrderService.Domain.Tests;

/// <summary>Orders in each status, built through the aggregate's own methods.</summary>
internal static class TestOrders
{
    public static readonly DateTimeOffset Now = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    public static readonly ShippingAddress Address =
        new("Hanako Yamada", "1-2-3 Shibuya", null, null, "Shibuya-ku", "Tokyo", "150-0002", "JP", null);

    public const string BuyerReason = "Ordered by mistake";

    public static readonly BuyerContact Contact = new("Hanako Yamada", "buyer@example.invalid", null);

    /// <summary>Two items: A x2, B x1, in JPY.</summary>
    public static NewOrder NewOrder(string id = "250-0000001-0000001") => new(
        id, "SELLER-1", "BUYER-1", "JPY", Now.AddHours(-1), Now.AddDays(2),
        [
            new NewOrderItem("A", "SKU-A", "Tea cup", 2, [new UnitCharge(ChargeComponent.Principal, 1099), new UnitCharge(ChargeComponent.Shipping, 300)]),
            new NewOrderItem("B", "SKU-B", "Teapot", 1, [new UnitCharge(ChargeComponent.Principal, 4500)]),
        ]);

    /// <summary>An order in <paramref name="status"/>. With <paramref name="buyerRequested"/>
    /// the buyer asked to cancel through the official route (R13) right after payment was
    /// authorized (a PENDING order would be canceled by it, so it has no such variant); the
    /// CANCELED one is then canceled by the seller with reason BuyerCanceled (R14).</summary>
    public static Order In(OrderStatus status, bool buyerRequested = false)
    {
        var order = Order.Create(NewOrder(), Now);
        if (status == OrderStatus.Pending)
        {
            return buyerRequested
                ? throw new ArgumentException("a buyer request cancels a PENDING order", nameof(buyerRequested))
                : order;
        }

        order.AuthorizePayment(Address, Contact, Now);
        if (buyerRequested)
        {
            order.RequestCancellationByBuyer(BuyerReason, Now);
        }

        switch (status)
        {
            case OrderStatus.Unshipped:
                break;
            case OrderStatus.PartiallyShipped:
                order.ConfirmShipment([new ItemQuantity("A", 1)], "Yamato", "T-1", Now, buyerRequested, Now);
                break;
            case OrderStatus.Shipped:
                order.ConfirmShipment([new ItemQuantity("A", 2), new ItemQuantity("B", 1)], "Yamato", "T-1", Now, buyerRequested, Now);
                break;
            case OrderStatus.Canceled:
                order.CancelBySeller(buyerRequested ? CancelReason.BuyerCanceled : CancelReason.NoInventory, CancellationRequester.Seller, null, Now);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(status), status, "not a status");
        }

        return order;
    }

    /// <summary>Everything a refused request must leave as it was, as one comparable string.</summary>
    public static string Snapshot(Order order) => string.Join(" | ",
        order.Status,
        "v" + order.Version,
        order.UpdatedAt.ToString("O"),
        string.Join(",", order.Items.Select(i => $"{i.Id}:{i.QuantityShipped}s/{i.QuantityCanceled}c")),
        order.Cancellations.Count + " cancellations",
        order.Cancellation?.Attribution.ToString() ?? "no cancellation",
        order.BuyerCancellationRequest?.ToString() ?? "no buyer request",
        "warned " + (order.AutoCancelWarnedAt?.ToString("O") ?? "never"),
        order.Refunds.Count + " refunds",
        order.CarrierReturn?.ToString() ?? "no carrier return",
        order.PendingEvents.Count + " events");
}
