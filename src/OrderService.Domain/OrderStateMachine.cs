namespace OrderService.Domain;

/// <summary>Everything that can be asked of an order. Each (status, action) pair has
/// exactly one entry in <see cref="OrderStateMachine"/>.</summary>
public enum OrderAction
{
    AuthorizePayment,
    ConfirmShipment,
    CancelOrder,
    CancelItems,
    RequestCancellation,
    ExpireUnauthorizedPayment,
    AutoCancelForMissedShipDate,
    Refund,
    RecordReturn,
    RequestCarrierReturn,
    /// <summary>The buyer cannot receive at the address (R40-R43); status unchanged.</summary>
    RequestAddressChange,
}

/// <summary>Why an action is refused in a status, with the way forward for the caller.</summary>
public sealed record Refusal(string Reason, string Message, IReadOnlyDictionary<string, string> Metadata);

/// <summary>The entry of the transition table for one (status, action) pair: either the
/// statuses the action may lead to, or why it is refused.</summary>
public sealed record Transition(IReadOnlySet<OrderStatus> Targets, Refusal? Refusal)
{
    public bool IsAllowed => Refusal is null;
}

/// <summary>The order's lifecycle as one explicit table. Every (status, action) pair is
/// listed: an action is either allowed, leading to one of a known set of statuses (which
/// one depends on quantities, e.g. a shipment of some or all units), or refused with a
/// reason and the way forward. Nothing is a silent no-op.</summary>
public static class OrderStateMachine
{
    private static readonly Dictionary<(OrderStatus, OrderAction), Transition> Table = Build();

    /// <summary>The table entry. Every pair has one (a test walks them all).</summary>
    public static Transition Of(OrderStatus status, OrderAction action) =>
        Table.TryGetValue((status, action), out var transition)
            ? transition
            : throw new InvalidOperationException($"No transition for ({status}, {action}).");

    /// <summary>Throws the table's refusal as a FAILED_PRECONDITION when the action is not
    /// allowed in this status.</summary>
    public static void EnsureAllowed(OrderStatus status, OrderAction action)
    {
        var refusal = Of(status, action).Refusal;
        if (refusal is not null)
        {
            var metadata = new Dictionary<string, string>(refusal.Metadata)
            {
                ["order_status"] = ToUpperSnake(status),
            };
            throw new DomainException(ErrorKind.FailedPrecondition, refusal.Reason, refusal.Message, metadata: metadata);
        }
    }

    /// <summary>Checks that the status an action computed is one the table allows; a
    /// mismatch is a bug in the aggregate, never a client's mistake.</summary>
    public static OrderStatus Target(OrderStatus status, OrderAction action, OrderStatus next)
    {
        EnsureAllowed(status, action);
        return Of(status, action).Targets.Contains(next)
            ? next
            : throw new InvalidOperationException($"({status}, {action}) may not lead to {next}.");
    }

    /// <summary>"PartiallyShipped" -> "PARTIALLY_SHIPPED", as the contract spells statuses.</summary>
    public static string ToUpperSnake(OrderStatus status) => ToUpperSnake((Enum)status);

    /// <summary>An enum value as the contract spells it, without the enum's prefix
    /// ("PartiallyShipped" is PARTIALLY_SHIPPED, "ShippingTax" SHIPPING_TAX).</summary>
    public static string ToUpperSnake(Enum value) =>
        string.Concat(value.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : char.ToUpperInvariant(c).ToString()));

    private static Dictionary<(OrderStatus, OrderAction), Transition> Build()
    {
        var t = new Dictionary<(OrderStatus, OrderAction), Transition>();
        void Allow(OrderStatus from, OrderAction action, params OrderStatus[] to) =>
            t.Add((from, action), new Transition(to.ToHashSet(), null));
        void Refuse(OrderStatus from, OrderAction action, string reason, string message, params (string Key, string Value)[] metadata) =>
            t.Add((from, action), new Transition(new HashSet<OrderStatus>(),
                new Refusal(reason, message, metadata.ToDictionary(m => m.Key, m => m.Value))));

        const OrderStatus pending = OrderStatus.Pending;
        const OrderStatus unshipped = OrderStatus.Unshipped;
        const OrderStatus partially = OrderStatus.PartiallyShipped;
        const OrderStatus shipped = OrderStatus.Shipped;
        const OrderStatus canceled = OrderStatus.Canceled;

        // PENDING: payment still being verified (R1, R2, R4).
        Allow(pending, OrderAction.AuthorizePayment, unshipped);
        Refuse(pending, OrderAction.ConfirmShipment, "ORDER_PENDING",
            "The order is PENDING: payment is still being verified and it cannot be shipped (R2). A buyer asking about it should contact the marketplace's customer service (template T2).",
            ("reply_template", "T2"));
        Refuse(pending, OrderAction.CancelOrder, "ORDER_PENDING",
            "The order is PENDING and cannot be canceled by the seller (R2). A buyer who wants to cancel uses the official route; the marketplace cancels PENDING orders (template T2).",
            ("reply_template", "T2"));
        Refuse(pending, OrderAction.CancelItems, "ORDER_PENDING",
            "The order is PENDING and its units cannot be canceled by the seller (R2).",
            ("reply_template", "T2"));
        Allow(pending, OrderAction.RequestCancellation, canceled);
        Allow(pending, OrderAction.ExpireUnauthorizedPayment, canceled);
        Refuse(pending, OrderAction.AutoCancelForMissedShipDate, "ORDER_PENDING",
            "A PENDING order is not auto-canceled for its ship date; it expires after 21 days without payment (R4).");
        Refuse(pending, OrderAction.Refund, "ORDER_PENDING", "The order is PENDING: nothing has been charged or shipped, so there is nothing to refund.");
        Refuse(pending, OrderAction.RecordReturn, "ORDER_PENDING", "The order is PENDING: nothing has shipped, so nothing can come back.");
        Refuse(pending, OrderAction.RequestCarrierReturn, "ORDER_PENDING", "The order is PENDING: nothing has shipped.");
        // R2: the answer is customer service (T2); the seller is told all the same.
        Allow(pending, OrderAction.RequestAddressChange, pending);

        // UNSHIPPED: authorized, nothing shipped (R3).
        Refuse(unshipped, OrderAction.AuthorizePayment, "PAYMENT_ALREADY_AUTHORIZED", "Payment for the order is already authorized.");
        Allow(unshipped, OrderAction.ConfirmShipment, partially, shipped);
        Allow(unshipped, OrderAction.CancelOrder, canceled);
        Allow(unshipped, OrderAction.CancelItems, unshipped, canceled);
        Allow(unshipped, OrderAction.RequestCancellation, unshipped);
        Refuse(unshipped, OrderAction.ExpireUnauthorizedPayment, "PAYMENT_ALREADY_AUTHORIZED", "Payment is authorized; the order cannot expire (R4).");
        Allow(unshipped, OrderAction.AutoCancelForMissedShipDate, canceled);
        Refuse(unshipped, OrderAction.Refund, "ORDER_NOT_SHIPPED",
            "Nothing has shipped: units that never shipped are canceled, not refunded (R24). Use CancelItems or CancelOrder.",
            ("use_instead", "orderservice.v1.RefundService/CancelItems"));
        Refuse(unshipped, OrderAction.RecordReturn, "ORDER_NOT_SHIPPED", "Nothing has shipped, so nothing can come back.");
        Refuse(unshipped, OrderAction.RequestCarrierReturn, "ORDER_NOT_SHIPPED",
            "Nothing has shipped: a buyer who cannot receive at the address cancels and orders again (R41, template T4).",
            ("reply_template", "T4"));
        // R41: cancel through the official route and order again (T4).
        Allow(unshipped, OrderAction.RequestAddressChange, unshipped);

        // PARTIALLY_SHIPPED: some units shipped, some not.
        Refuse(partially, OrderAction.AuthorizePayment, "PAYMENT_ALREADY_AUTHORIZED", "Payment for the order is already authorized.");
        Allow(partially, OrderAction.ConfirmShipment, partially, shipped);
        Refuse(partially, OrderAction.CancelOrder, "ORDER_PARTIALLY_SHIPPED",
            "Some units have shipped, so the whole order can no longer be canceled. Cancel the unshipped units with CancelItems (R21); shipped units are returned and refunded (R12, R23).",
            ("use_instead", "orderservice.v1.RefundService/CancelItems"));
        // Canceling the last unshipped units leaves only shipped ones: the order is SHIPPED.
        Allow(partially, OrderAction.CancelItems, partially, shipped);
        Allow(partially, OrderAction.RequestCancellation, partially);
        Refuse(partially, OrderAction.ExpireUnauthorizedPayment, "PAYMENT_ALREADY_AUTHORIZED", "Payment is authorized; the order cannot expire (R4).");
        Allow(partially, OrderAction.AutoCancelForMissedShipDate, shipped);
        Allow(partially, OrderAction.Refund, partially);
        Allow(partially, OrderAction.RecordReturn, partially);
        Allow(partially, OrderAction.RequestCarrierReturn, partially);
        // R42: the shipped package comes back through the carrier.
        Allow(partially, OrderAction.RequestAddressChange, partially);

        // SHIPPED: every remaining unit shipped (R12).
        Refuse(shipped, OrderAction.AuthorizePayment, "PAYMENT_ALREADY_AUTHORIZED", "Payment for the order is already authorized.");
        Refuse(shipped, OrderAction.ConfirmShipment, "ORDER_SHIPPED", "Every unit of the order has already shipped.");
        Refuse(shipped, OrderAction.CancelOrder, "ORDER_SHIPPED",
            "The order has shipped and cannot be canceled (R12). Tell the buyer the item is on its way and to return it after arrival for a refund (template T3); refund it with RecordReturn when it comes back (R23).",
            ("reply_template", "T3"), ("use_instead", "orderservice.v1.RefundService/RecordReturn"));
        Refuse(shipped, OrderAction.CancelItems, "ORDER_SHIPPED",
            "Every unit has shipped; shipped units are returned and refunded, not canceled (R12, R24).",
            ("reply_template", "T3"), ("use_instead", "orderservice.v1.RefundService/RecordReturn"));
        Refuse(shipped, OrderAction.RequestCancellation, "ORDER_SHIPPED",
            "The order has shipped and can no longer be canceled: return the item after arrival for a refund (R12, template T3).",
            ("reply_template", "T3"));
        Refuse(shipped, OrderAction.ExpireUnauthorizedPayment, "PAYMENT_ALREADY_AUTHORIZED", "Payment is authorized; the order cannot expire (R4).");
        Refuse(shipped, OrderAction.AutoCancelForMissedShipDate, "ORDER_SHIPPED", "Every unit has shipped; nothing is left to auto-cancel (R5).");
        Allow(shipped, OrderAction.Refund, shipped);
        Allow(shipped, OrderAction.RecordReturn, shipped);
        Allow(shipped, OrderAction.RequestCarrierReturn, shipped);
        // R42: the package comes back through the carrier.
        Allow(shipped, OrderAction.RequestAddressChange, shipped);

        // CANCELED: final; never reopened (R16).
        foreach (var action in Enum.GetValues<OrderAction>())
        {
            Refuse(canceled, action, "ORDER_CANCELED",
                "The order is canceled and is never reopened (R16). A buyer who wants the item places a new order (template T5).",
                ("reply_template", "T5"));
        }

        return t;
    }
}
