namespace OrderService.Domain.Tests;

public sealed class SellerCancellationTests
{
    private static readonly DateTimeOffset Now = TestOrders.Now;

    [Fact]
    public void R10_the_seller_cancels_an_unshipped_order_as_a_whole()
    {
        var order = TestOrders.In(OrderStatus.Unshipped);
        order.ClearPendingEvents();
        var version = order.Version;
        var at = Now.AddHours(2);

        var cancellation = order.CancelBySeller(CancelReason.NoInventory, CancellationRequester.Seller, "out of stock", at);

        Assert.Equal(new CancellationAttribution(CancelReason.NoInventory, CancellationRequester.Seller, CancellationExecutor.Seller, true, at, "out of stock"), cancellation.Attribution);
        Assert.Equal(OrderStatus.Canceled, order.Status);
        Assert.Equal(cancellation, order.Cancellation);
        Assert.All(order.Items, item =>
        {
            Assert.Equal(item.QuantityOrdered, item.QuantityCanceled);
            Assert.Equal(0, item.QuantityUnshipped);
        });
        Assert.Null(order.AutoCancelAt);
        Assert.Equal(version + 1, order.Version);
        Assert.Equal(at, order.UpdatedAt);
        var orderEvent = Assert.Single(order.PendingEvents);
        Assert.Equal(OrderEventType.OrderCanceled, orderEvent.Type);
        Assert.Equal(cancellation.Attribution, orderEvent.Cancellation);
    }

    [Fact]
    public void R18_a_whole_order_cancellation_is_recorded_with_its_units_and_attribution()
    {
        var order = TestOrders.In(OrderStatus.Unshipped);
        var at = Now.AddHours(2);

        var cancellation = order.CancelBySeller(CancelReason.PricingError, CancellationRequester.Seller, null, at);

        var record = Assert.Single(order.Cancellations);
        Assert.StartsWith("can_", record.Id, StringComparison.Ordinal);
        Assert.Equal(36, record.Id.Length);
        Assert.True(record.WholeOrder);
        Assert.Equal([new CancellationLine("A", 2), new CancellationLine("B", 1)], record.Lines);
        Assert.Equal(cancellation.Attribution, record.Attribution);
        Assert.True(order.HasCountedCancellation);
    }

    /// <summary>(official buyer request on the order, requester the seller names, reason,
    /// requester recorded, counts against the seller).</summary>
    public static TheoryData<bool, CancellationRequester, CancelReason, CancellationRequester, bool> Attribution => new()
    {
        // No official request: the seller's word stands, and every seller cancellation counts.
        { false, CancellationRequester.Seller, CancelReason.NoInventory, CancellationRequester.Seller, true },
        { false, CancellationRequester.Seller, CancelReason.BuyerCanceled, CancellationRequester.Seller, true },
        // R15: answering a buyer's message counts, whatever the reason code.
        { false, CancellationRequester.BuyerMessage, CancelReason.BuyerCanceled, CancellationRequester.BuyerMessage, true },
        { false, CancellationRequester.BuyerMessage, CancelReason.CustomerExchange, CancellationRequester.BuyerMessage, true },
        // R14: the buyer asked officially: recorded as such, free only with BuyerCanceled.
        { true, CancellationRequester.Seller, CancelReason.BuyerCanceled, CancellationRequester.BuyerOfficial, false },
        { true, CancellationRequester.BuyerMessage, CancelReason.BuyerCanceled, CancellationRequester.BuyerOfficial, false },
        { true, CancellationRequester.Seller, CancelReason.NoInventory, CancellationRequester.BuyerOfficial, true },
        { true, CancellationRequester.BuyerMessage, CancelReason.GeneralAdjustment, CancellationRequester.BuyerOfficial, true },
    };

    [Theory]
    [MemberData(nameof(Attribution))]
    public void R14_R15_who_asked_and_whether_it_counts(
        bool officialRequest, CancellationRequester given, CancelReason reason, CancellationRequester recorded, bool counts)
    {
        var order = TestOrders.In(OrderStatus.Unshipped, officialRequest);

        var cancellation = order.CancelBySeller(reason, given, null, Now);

        Assert.Equal(recorded, cancellation.Requester);
        Assert.Equal(CancellationExecutor.Seller, cancellation.Executor);
        Assert.Equal(counts, cancellation.CountsAgainstSellerRate);
        Assert.Equal(counts, Assert.Single(order.Cancellations).CountsAgainstSellerRate);
        Assert.Equal(counts, order.HasCountedCancellation);
    }

    [Fact]
    public void R14_an_official_buyer_request_canceled_with_BuyerCanceled_does_not_count()
    {
        var order = TestOrders.In(OrderStatus.Unshipped, buyerRequested: true);

        var cancellation = order.CancelBySeller(CancelReason.BuyerCanceled, CancellationRequester.Seller, null, Now);

        Assert.False(cancellation.CountsAgainstSellerRate);
        Assert.Equal(CancellationRequester.BuyerOfficial, cancellation.Requester);
        Assert.Equal(OrderStatus.Canceled, order.Status);
        Assert.False(order.HasCountedCancellation);
        // The buyer's request stays on the order for the report (R31).
        Assert.Equal(TestOrders.BuyerReason, order.BuyerCancellationRequest?.Reason);
    }

    [Fact]
    public void R15_a_cancellation_in_answer_to_a_buyer_message_counts_even_with_BuyerCanceled()
    {
        var order = TestOrders.In(OrderStatus.Unshipped);

        var cancellation = order.CancelBySeller(CancelReason.BuyerCanceled, CancellationRequester.BuyerMessage, null, Now);

        Assert.True(cancellation.CountsAgainstSellerRate);
        Assert.Equal(CancellationRequester.BuyerMessage, cancellation.Requester);
        Assert.True(order.HasCountedCancellation);
    }

    [Fact]
    public void R18_the_seller_may_not_claim_the_official_route_even_when_the_buyer_used_it()
    {
        var order = TestOrders.In(OrderStatus.Unshipped, buyerRequested: true);
        var before = TestOrders.Snapshot(order);

        var refusal = Assert.Throws<DomainException>(() =>
            order.CancelBySeller(CancelReason.BuyerCanceled, CancellationRequester.BuyerOfficial, null, Now));

        Assert.Equal("REQUESTER_NOT_ALLOWED", refusal.Reason);
        Assert.Equal(before, TestOrders.Snapshot(order));
    }

    [Theory]
    [InlineData(OrderStatus.Pending, "ORDER_PENDING", "T2")]          // R2
    [InlineData(OrderStatus.PartiallyShipped, "ORDER_PARTIALLY_SHIPPED", null)]
    [InlineData(OrderStatus.Shipped, "ORDER_SHIPPED", "T3")]          // R12
    [InlineData(OrderStatus.Canceled, "ORDER_CANCELED", "T5")]        // R16
    public void R2_R12_R16_the_seller_cannot_cancel_outside_unshipped_and_nothing_changes(OrderStatus status, string reason, string? template)
    {
        var order = TestOrders.In(status);
        var before = TestOrders.Snapshot(order);

        var refusal = Assert.Throws<DomainException>(() =>
            order.CancelBySeller(CancelReason.NoInventory, CancellationRequester.Seller, null, Now.AddHours(1)));

        Assert.Equal(ErrorKind.FailedPrecondition, refusal.Kind);
        Assert.Equal(reason, refusal.Reason);
        Assert.Equal(OrderStateMachine.ToUpperSnake(status), refusal.Metadata["order_status"]);
        Assert.Equal(template, refusal.Metadata.GetValueOrDefault("reply_template"));
        Assert.Equal(before, TestOrders.Snapshot(order));
    }

    [Theory]
    [InlineData(CancelReason.ShipDateMissed)]
    [InlineData(CancelReason.PaymentNotAuthorized)]
    public void R10_the_service_only_reasons_are_refused_from_the_seller(CancelReason reason)
    {
        var order = TestOrders.In(OrderStatus.Unshipped);
        var before = TestOrders.Snapshot(order);

        var refusal = Assert.Throws<DomainException>(() => order.CancelBySeller(reason, CancellationRequester.Seller, null, Now));

        Assert.Equal(ErrorKind.InvalidArgument, refusal.Kind);
        Assert.Equal("reason", refusal.Field);
        Assert.Equal("REASON_RESERVED", refusal.Reason);
        Assert.Equal(before, TestOrders.Snapshot(order));
    }

    [Fact]
    public void R10_a_cancellation_without_a_known_reason_code_is_refused()
    {
        var order = TestOrders.In(OrderStatus.Unshipped);

        var refusal = Assert.Throws<DomainException>(() => order.CancelBySeller(0, CancellationRequester.Seller, null, Now));

        Assert.Equal(ErrorKind.InvalidArgument, refusal.Kind);
        Assert.Equal("reason", refusal.Field);
        Assert.Equal("REASON_REQUIRED", refusal.Reason);
        Assert.Equal(OrderStatus.Unshipped, order.Status);
    }

    [Theory]
    [InlineData(CancellationRequester.BuyerOfficial)]
    [InlineData(CancellationRequester.Marketplace)]
    public void R18_the_seller_may_not_name_the_buyer_official_route_or_the_marketplace_as_requester(CancellationRequester requester)
    {
        var order = TestOrders.In(OrderStatus.Unshipped);
        var before = TestOrders.Snapshot(order);

        var refusal = Assert.Throws<DomainException>(() => order.CancelBySeller(CancelReason.BuyerCanceled, requester, null, Now));

        Assert.Equal(ErrorKind.InvalidArgument, refusal.Kind);
        Assert.Equal("requester", refusal.Field);
        Assert.Equal("REQUESTER_NOT_ALLOWED", refusal.Reason);
        Assert.Equal(before, TestOrders.Snapshot(order));
    }

    [Fact]
    public void R10_a_wrong_argument_is_reported_as_such_whatever_the_order_state()
    {
        var order = TestOrders.In(OrderStatus.Shipped);

        var refusal = Assert.Throws<DomainException>(() =>
            order.CancelBySeller(CancelReason.ShipDateMissed, CancellationRequester.Seller, null, Now));

        Assert.Equal(ErrorKind.InvalidArgument, refusal.Kind);
        Assert.Equal("REASON_RESERVED", refusal.Reason);
    }

    [Fact]
    public void R10_the_preview_returns_what_would_be_recorded_and_changes_nothing()
    {
        var order = TestOrders.In(OrderStatus.Unshipped);
        var twin = TestOrders.In(OrderStatus.Unshipped);
        var before = TestOrders.Snapshot(order);

        var preview = order.PreviewSellerCancellation(CancelReason.CustomerExchange, CancellationRequester.BuyerMessage, "asked by message", Now);

        Assert.Equal(before, TestOrders.Snapshot(order));
        Assert.Empty(order.Cancellations);
        Assert.Equal(twin.CancelBySeller(CancelReason.CustomerExchange, CancellationRequester.BuyerMessage, "asked by message", Now).Attribution, preview);
    }

    [Fact]
    public void R12_the_preview_refuses_what_the_cancellation_would_refuse()
    {
        var order = TestOrders.In(OrderStatus.Shipped);
        var before = TestOrders.Snapshot(order);

        var refusal = Assert.Throws<DomainException>(() =>
            order.PreviewSellerCancellation(CancelReason.NoInventory, CancellationRequester.Seller, null, Now));

        Assert.Equal("ORDER_SHIPPED", refusal.Reason);
        Assert.Equal("T3", refusal.Metadata["reply_template"]);
        Assert.Equal(before, TestOrders.Snapshot(order));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_blank_note_is_recorded_as_no_note(string? note)
    {
        var order = TestOrders.In(OrderStatus.Unshipped);

        var cancellation = order.CancelBySeller(CancelReason.NoInventory, CancellationRequester.Seller, note, Now);

        Assert.Null(cancellation.Note);
        Assert.Null(Assert.Single(order.Cancellations).Note);
    }
}
