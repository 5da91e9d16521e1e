namespace OrderService.Domain.Tests;

/// <summary>Walks every (status, action) pair of the lifecycle. The expected answers are
/// written out here independently of the table, from docs/domain-rules.md.</summary>
public sealed class OrderStateMachineTests
{
    private const OrderStatus P = OrderStatus.Pending;
    private const OrderStatus U = OrderStatus.Unshipped;
    private const OrderStatus PS = OrderStatus.PartiallyShipped;
    private const OrderStatus S = OrderStatus.Shipped;
    private const OrderStatus C = OrderStatus.Canceled;

    /// <summary>(status, action, allowed targets or the refusal reason).</summary>
    public static TheoryData<OrderStatus, OrderAction, string> Expected => new()
    {
        // R1-R4: PENDING.
        { P, OrderAction.AuthorizePayment, "-> Unshipped" },
        { P, OrderAction.ConfirmShipment, "ORDER_PENDING" },            // R2
        { P, OrderAction.CancelOrder, "ORDER_PENDING" },                // R2
        { P, OrderAction.CancelItems, "ORDER_PENDING" },                // R2
        { P, OrderAction.RequestCancellation, "-> Canceled" },          // buyer cancels; marketplace executes
        { P, OrderAction.ExpireUnauthorizedPayment, "-> Canceled" },    // R4
        { P, OrderAction.AutoCancelForMissedShipDate, "ORDER_PENDING" },
        { P, OrderAction.Refund, "ORDER_PENDING" },
        { P, OrderAction.RecordReturn, "ORDER_PENDING" },
        { P, OrderAction.RequestCarrierReturn, "ORDER_PENDING" },
        { P, OrderAction.RequestAddressChange, "-> Pending" },          // R2: customer service (T2)
        // R3: UNSHIPPED.
        { U, OrderAction.AuthorizePayment, "PAYMENT_ALREADY_AUTHORIZED" },
        { U, OrderAction.ConfirmShipment, "-> PartiallyShipped,Shipped" },
        { U, OrderAction.CancelOrder, "-> Canceled" },                  // R10
        { U, OrderAction.CancelItems, "-> Unshipped,Canceled" },        // R21
        { U, OrderAction.RequestCancellation, "-> Unshipped" },         // R13
        { U, OrderAction.ExpireUnauthorizedPayment, "PAYMENT_ALREADY_AUTHORIZED" },
        { U, OrderAction.AutoCancelForMissedShipDate, "-> Canceled" },  // R5
        { U, OrderAction.Refund, "ORDER_NOT_SHIPPED" },                 // R24
        { U, OrderAction.RecordReturn, "ORDER_NOT_SHIPPED" },
        { U, OrderAction.RequestCarrierReturn, "ORDER_NOT_SHIPPED" },   // R41
        { U, OrderAction.RequestAddressChange, "-> Unshipped" },        // R41: cancel and reorder (T4)
        // PARTIALLY_SHIPPED.
        { PS, OrderAction.AuthorizePayment, "PAYMENT_ALREADY_AUTHORIZED" },
        { PS, OrderAction.ConfirmShipment, "-> PartiallyShipped,Shipped" },
        { PS, OrderAction.CancelOrder, "ORDER_PARTIALLY_SHIPPED" },
        { PS, OrderAction.CancelItems, "-> PartiallyShipped,Shipped" }, // R21
        { PS, OrderAction.RequestCancellation, "-> PartiallyShipped" },
        { PS, OrderAction.ExpireUnauthorizedPayment, "PAYMENT_ALREADY_AUTHORIZED" },
        { PS, OrderAction.AutoCancelForMissedShipDate, "-> Shipped" },  // R5: the unshipped rest
        { PS, OrderAction.Refund, "-> PartiallyShipped" },
        { PS, OrderAction.RecordReturn, "-> PartiallyShipped" },
        { PS, OrderAction.RequestCarrierReturn, "-> PartiallyShipped" },
        { PS, OrderAction.RequestAddressChange, "-> PartiallyShipped" }, // R42
        // R12: SHIPPED.
        { S, OrderAction.AuthorizePayment, "PAYMENT_ALREADY_AUTHORIZED" },
        { S, OrderAction.ConfirmShipment, "ORDER_SHIPPED" },
        { S, OrderAction.CancelOrder, "ORDER_SHIPPED" },
        { S, OrderAction.CancelItems, "ORDER_SHIPPED" },
        { S, OrderAction.RequestCancellation, "ORDER_SHIPPED" },
        { S, OrderAction.ExpireUnauthorizedPayment, "PAYMENT_ALREADY_AUTHORIZED" },
        { S, OrderAction.AutoCancelForMissedShipDate, "ORDER_SHIPPED" },
        { S, OrderAction.Refund, "-> Shipped" },
        { S, OrderAction.RecordReturn, "-> Shipped" },
        { S, OrderAction.RequestCarrierReturn, "-> Shipped" },
        { S, OrderAction.RequestAddressChange, "-> Shipped" },          // R42
        // R16: CANCELED is final.
        { C, OrderAction.AuthorizePayment, "ORDER_CANCELED" },
        { C, OrderAction.ConfirmShipment, "ORDER_CANCELED" },
        { C, OrderAction.CancelOrder, "ORDER_CANCELED" },
        { C, OrderAction.CancelItems, "ORDER_CANCELED" },
        { C, OrderAction.RequestCancellation, "ORDER_CANCELED" },
        { C, OrderAction.ExpireUnauthorizedPayment, "ORDER_CANCELED" },
        { C, OrderAction.AutoCancelForMissedShipDate, "ORDER_CANCELED" },
        { C, OrderAction.Refund, "ORDER_CANCELED" },
        { C, OrderAction.RecordReturn, "ORDER_CANCELED" },
        { C, OrderAction.RequestCarrierReturn, "ORDER_CANCELED" },
        { C, OrderAction.RequestAddressChange, "ORDER_CANCELED" },      // R16 (T5)
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public void Every_status_and_action_pair_has_the_expected_answer(OrderStatus status, OrderAction action, string expected)
    {
        var transition = OrderStateMachine.Of(status, action);

        var actual = transition.IsAllowed
            ? "-> " + string.Join(",", transition.Targets.Order())
            : transition.Refusal!.Reason;
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void The_expected_table_above_covers_every_pair()
    {
        var covered = Expected.Select(row => ((OrderStatus)row[0], (OrderAction)row[1])).ToHashSet();

        var all = Enum.GetValues<OrderStatus>().SelectMany(s => Enum.GetValues<OrderAction>().Select(a => (s, a)));
        Assert.All(all, pair => Assert.Contains(pair, covered));
    }

    [Fact]
    public void A_refusal_is_a_failed_precondition_naming_the_status_and_the_way_forward()
    {
        var refusal = Assert.Throws<DomainException>(() => OrderStateMachine.EnsureAllowed(S, OrderAction.CancelOrder));

        Assert.Equal(ErrorKind.FailedPrecondition, refusal.Kind);
        Assert.Equal("ORDER_SHIPPED", refusal.Reason);
        Assert.Equal("SHIPPED", refusal.Metadata["order_status"]);
        Assert.Equal("T3", refusal.Metadata["reply_template"]); // R12
    }

    [Fact]
    public void Statuses_are_named_as_the_contract_names_them()
    {
        Assert.Equal("PARTIALLY_SHIPPED", OrderStateMachine.ToUpperSnake(PS));
        Assert.Equal("PENDING", OrderStateMachine.ToUpperSnake(P));
    }

    [Fact]
    public void A_target_outside_the_table_is_a_bug_not_a_client_error()
    {
        Assert.Throws<InvalidOperationException>(() => OrderStateMachine.Target(P, OrderAction.AuthorizePayment, S));
    }
}
