using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using OrderService.Client;
using OrderService.Contracts.V1;
using OrderService.IntegrationTests.Infrastructure;
using static OrderService.IntegrationTests.Infrastructure.Notices;
using static OrderService.IntegrationTests.Infrastructure.TestData;

namespace OrderService.IntegrationTests;

/// <summary>RefundService through the real server: refundable amounts (R24), refunds in
/// full and in part (R20, R22), partial cancellation (R21), returns (R23), and the guard
/// that the money refunded never passes what was charged, under concurrency and in the
/// database itself (R22). The test order: A x2 at 1099 + 300 shipping per unit, B x1 at
/// 4500 (JPY).</summary>
[Collection(ServerCollection.Name)]
public sealed class RefundTests(ServerFixture server)
{
    private readonly string _seller = NewId("S");
    private readonly string _buyer = NewId("B");

    [Fact]
    public async Task R24_refundable_amounts_are_visible_before_any_refund_and_count_only_shipped_units()
    {
        var order = await OrderIn(server, OrderStatus.PartiallyShipped, _seller, _buyer); // one unit of A shipped
        using var seller = server.Seller(_seller);

        var amounts = await seller.Refunds.GetRefundableAmountsAsync(new GetRefundableAmountsRequest { OrderId = order.OrderId });

        Assert.Equal("JPY", amounts.CurrencyCode);
        Assert.Equal(
            [("A", 1, 1, 0), ("B", 0, 1, 0)],
            amounts.Items.Select(i => (i.OrderItemId, i.QuantityShipped, i.QuantityUnshipped, i.QuantityReturned)));
        Assert.Equal(
            [(ChargeComponent.Principal, 2198L, 0L, 1099L, 1099L), (ChargeComponent.Shipping, 600L, 0L, 300L, 300L)],
            amounts.Items[0].Components.Select(c => (c.Component, c.Charged.Units, c.Refunded.Units, c.Refundable.Units, c.Cancelable.Units)));
        Assert.Equal([(ChargeComponent.Principal, 4500L, 0L, 0L, 4500L)],
            amounts.Items[1].Components.Select(c => (c.Component, c.Charged.Units, c.Refunded.Units, c.Refundable.Units, c.Cancelable.Units)));
    }

    [Fact]
    public async Task R20_a_full_refund_gives_back_every_shipped_units_charge_once_and_both_parties_see_it()
    {
        var order = await OrderIn(server, OrderStatus.Shipped, _seller, _buyer);
        using var seller = server.Seller(_seller);
        using var buyer = server.Buyer(_buyer);
        using var buyerNotices = await Subscribed(buyer, new SubscribeRequest { Types_ = { NotificationType.RefundIssued } });

        var refund = (await seller.Refunds.RefundOrderAsync(FullRefund(order.OrderId))).Refund;

        // The buyer's notice carries the refund as made (R20).
        var notice = Assert.Single(await Next(buyerNotices, 1));
        Assert.Equal((NotificationType.RefundIssued, order.OrderId), (notice.Type, notice.OrderId));
        Assert.Equal(refund, notice.Refund);

        Assert.StartsWith("ref_", refund.RefundId);
        Assert.Equal(order.OrderId, refund.OrderId);
        Assert.Equal(2 * (1099 + 300) + 4500, refund.Total.Units);
        Assert.Equal(["A", "B"], refund.Items.Select(i => i.OrderItemId).Order());
        Assert.Equal(
            [(ChargeComponent.Principal, 2198L), (ChargeComponent.Shipping, 600L)],
            refund.Items.Single(i => i.OrderItemId == "A").Amounts.Select(a => (a.Component, a.Amount.Units)));
        var after = await seller.Refunds.GetRefundableAmountsAsync(new GetRefundableAmountsRequest { OrderId = order.OrderId });
        Assert.All(after.Items.SelectMany(i => i.Components), c => Assert.Equal((0L, c.Charged.Units), (c.Refundable.Units, c.Refunded.Units)));
        await Expect.Failure(StatusCode.FailedPrecondition, "NOTHING_TO_REFUND",
            () => seller.Refunds.RefundOrderAsync(FullRefund(order.OrderId)).ResponseAsync);

        Assert.Equal([refund], (await seller.Refunds.ListRefundsAsync(new ListRefundsRequest { OrderId = order.OrderId })).Refunds);
        Assert.Equal([refund], (await buyer.Refunds.ListRefundsAsync(new ListRefundsRequest())).Refunds);
        using var otherSeller = server.Seller(NewId("S"));
        Assert.Empty((await otherSeller.Refunds.ListRefundsAsync(new ListRefundsRequest { OrderId = order.OrderId })).Refunds);
        await Expect.Failure(StatusCode.NotFound, "ORDER_NOT_FOUND",
            () => otherSeller.Refunds.GetRefundableAmountsAsync(new GetRefundableAmountsRequest { OrderId = order.OrderId }).ResponseAsync);
    }

    [Fact]
    public async Task R20_R22_a_partial_refund_with_a_deduction_pays_the_difference_and_validate_only_changes_nothing()
    {
        var order = await OrderIn(server, OrderStatus.Shipped, _seller, _buyer);
        using var seller = server.Seller(_seller);
        var request = PartialRefund(order.OrderId, "A", (ChargeComponent.Principal, 1000));
        request.Items[0].Deductions.Add(new ChargeAmount { Component = ChargeComponent.RestockingFee, Amount = Yen(200) });
        var preview = request.Clone();
        preview.ValidateOnly = true;

        var previewed = (await seller.Refunds.RefundOrderAsync(preview)).Refund;
        Assert.Empty((await seller.Refunds.ListRefundsAsync(new ListRefundsRequest { OrderId = order.OrderId })).Refunds);
        var made = (await seller.Refunds.RefundOrderAsync(request)).Refund;

        Assert.Equal(800, previewed.Total.Units);
        Assert.Equal(800, made.Total.Units);
        var amounts = await seller.Refunds.GetRefundableAmountsAsync(new GetRefundableAmountsRequest { OrderId = order.OrderId });
        var principal = amounts.Items.Single(i => i.OrderItemId == "A").Components.Single(c => c.Component == ChargeComponent.Principal);
        Assert.Equal((1000L, 1198L), (principal.Refunded.Units, principal.Refundable.Units));

        // The same request_id: the stored answer, nothing refunded twice (AIP-155).
        Assert.Equal(made, (await seller.Refunds.RefundOrderAsync(request)).Refund);
        Assert.Single((await seller.Refunds.ListRefundsAsync(new ListRefundsRequest { OrderId = order.OrderId })).Refunds);
    }

    [Fact]
    public async Task R21_R24_refunding_unshipped_units_is_refused_with_the_way_forward_and_changes_nothing()
    {
        var order = await OrderIn(server, OrderStatus.PartiallyShipped, _seller, _buyer);
        using var seller = server.Seller(_seller);

        var refused = await Expect.Failure(StatusCode.FailedPrecondition, "UNSHIPPED_UNITS_NOT_REFUNDABLE",
            () => seller.Refunds.RefundOrderAsync(PartialRefund(order.OrderId, "A", (ChargeComponent.Principal, 2198))).ResponseAsync);
        await Expect.Failure(StatusCode.FailedPrecondition, "AMOUNT_EXCEEDS_REFUNDABLE",
            () => seller.Refunds.RefundOrderAsync(PartialRefund(order.OrderId, "A", (ChargeComponent.Principal, 5000))).ResponseAsync);

        var info = Expect.ErrorInfo(refused);
        Assert.Equal("orderservice.v1.RefundService/CancelItems", info.Metadata["use_instead"]);
        Assert.Equal(("A", "PRINCIPAL", "1099", "1"),
            (info.Metadata["order_item_id"], info.Metadata["component"], info.Metadata["refundable_minor_units"], info.Metadata["quantity_unshipped"]));
        var amounts = await seller.Refunds.GetRefundableAmountsAsync(new GetRefundableAmountsRequest { OrderId = order.OrderId });
        Assert.All(amounts.Items.SelectMany(i => i.Components), c => Assert.Equal(0, c.Refunded.Units));
    }

    public static TheoryData<string, Action<RefundOrderRequest>> InvalidRefunds => new()
    {
        { "request_id", r => r.RequestId = "" },
        { "order_id", r => r.OrderId = "" },
        { "reason", r => r.Reason = AdjustmentReason.Unspecified },
        { "items[0].amounts", r => r.Items[0].Amounts.Clear() },
        { "items[0].amounts[0].component", r => r.Items[0].Amounts[0].Component = (ChargeComponent)99 },
        { "items[0].amounts[0].amount.nanos", r => r.Items[0].Amounts[0].Amount.Nanos = 500_000_000 }, // half a yen: never rounded
        { "items[0].amounts[0].amount", r => r.Items[0].Amounts[0].Amount.Units = -1 },
        { "items[0].amounts[0].amount.currency_code", r => r.Items[0].Amounts[0].Amount.CurrencyCode = "XYZ" },
        // Two amounts of 5e18 yen summed to more than a long holds (INTERNAL); now each is refused.
        { "items[0].amounts[1].amount.units", r => r.Items[0].Amounts.Add(new ChargeAmount { Component = ChargeComponent.Shipping, Amount = Yen(5_000_000_000_000_000_000) }) },
    };

    [Theory]
    [MemberData(nameof(InvalidRefunds))]
    public async Task R22_an_invalid_refund_is_invalid_argument_naming_the_field_and_refunds_nothing(string field, Action<RefundOrderRequest> spoil)
    {
        var order = await OrderIn(server, OrderStatus.Shipped, _seller, _buyer);
        using var seller = server.Seller(_seller);
        var request = PartialRefund(order.OrderId, "A", (ChargeComponent.Principal, 100));
        spoil(request);

        await Expect.InvalidArgument(field, () => seller.Refunds.RefundOrderAsync(request).ResponseAsync);

        Assert.Empty((await seller.Refunds.ListRefundsAsync(new ListRefundsRequest { OrderId = order.OrderId })).Refunds);
    }

    [Fact]
    public async Task R22_fifty_concurrent_refunds_of_the_last_refundable_yen_make_exactly_one_and_one_request_id_makes_one_effect()
    {
        var order = await OrderIn(server, OrderStatus.Shipped, _seller, _buyer);
        using var seller = server.Seller(_seller);
        await seller.Refunds.RefundOrderAsync(PartialRefund(order.OrderId, "B", (ChargeComponent.Principal, 4499)));

        // Different request_ids: one wins, the others are told nothing is left.
        var racing = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Outcome(() =>
            seller.Refunds.RefundOrderAsync(PartialRefund(order.OrderId, "B", (ChargeComponent.Principal, 1))).ResponseAsync)));
        Assert.Single(racing, r => r.Code == StatusCode.OK);
        Assert.All(racing.Where(r => r.Code != StatusCode.OK), r =>
            Assert.True(r.Code is StatusCode.FailedPrecondition or StatusCode.Aborted, $"{r.Code} {r.Reason}"));

        // One request_id sent 50 times at once: one effect, and every answer is that one.
        var again = PartialRefund(order.OrderId, "A", (ChargeComponent.Shipping, 1));
        var replays = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Outcome(() => seller.Refunds.RefundOrderAsync(again).ResponseAsync)));
        var answers = replays.Where(r => r.Code == StatusCode.OK).Select(r => r.Refund!).ToList();
        Assert.NotEmpty(answers);
        Assert.All(answers, answer => Assert.Equal(answers[0], answer));
        Assert.All(replays.Where(r => r.Code != StatusCode.OK), r => Assert.Equal(StatusCode.Aborted, r.Code));

        var amounts = await seller.Refunds.GetRefundableAmountsAsync(new GetRefundableAmountsRequest { OrderId = order.OrderId });
        Assert.Equal((4500L, 0L), Component(amounts, "B", ChargeComponent.Principal));
        Assert.Equal((1L, 599L), Component(amounts, "A", ChargeComponent.Shipping));
        Assert.Equal(3, (await seller.Refunds.ListRefundsAsync(new ListRefundsRequest { OrderId = order.OrderId })).Refunds.Count);
    }

    [Fact]
    public async Task R22_the_database_itself_refuses_a_component_refunded_beyond_its_charge()
    {
        var order = await OrderIn(server, OrderStatus.Shipped, _seller, _buyer);

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => server.QueryDatabaseAsync(db =>
            db.Database.ExecuteSqlAsync($"""UPDATE order_item_charges SET "RefundedMinor" = "ChargedMinor" + 1 WHERE "OrderId" = {order.OrderId}""")));

        Assert.Contains("CK_order_item_charges_refunded_within_charged", refused.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task R21_canceling_some_unshipped_units_gives_back_exactly_their_charges_and_the_rest_goes_on()
    {
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var seller = server.Seller(_seller);
        using var buyer = server.Buyer(_buyer);
        using var buyerNotices = await Subscribed(buyer, new SubscribeRequest
        {
            Types_ = { NotificationType.ItemsCanceled, NotificationType.OrderCanceled },
        });

        var first = await seller.Refunds.CancelItemsAsync(CancelUnits(order.OrderId, ("A", 1)));

        Assert.Equal(OrderStatus.Unshipped, first.Order.Status);
        Assert.Equal((1, 1), (first.Order.Items[0].QuantityCanceled, first.Order.Items[0].QuantityUnshipped));
        Assert.Equal(1099 + 300, first.Refund.Total.Units);
        var act = Assert.Single(first.Order.Cancellations);
        Assert.False(act.WholeOrder);
        Assert.True(act.CountsAgainstSellerRate); // the seller's NoInventory (R14, R17)
        Assert.Null(first.Order.Cancellation);

        // Canceling every remaining unit of an order with nothing shipped cancels it.
        var rest = await seller.Refunds.CancelItemsAsync(CancelUnits(order.OrderId, ("A", 1), ("B", 1)));
        Assert.Equal(OrderStatus.Canceled, rest.Order.Status);
        Assert.Equal(1099 + 300 + 4500, rest.Refund.Total.Units);
        await Expect.Failure(StatusCode.FailedPrecondition, "ORDER_CANCELED",
            () => seller.Refunds.CancelItemsAsync(CancelUnits(order.OrderId, ("A", 1))).ResponseAsync);
        // Canceled money is not a refund of shipped units (R24): ListRefunds has none.
        Assert.Empty((await seller.Refunds.ListRefundsAsync(new ListRefundsRequest { OrderId = order.OrderId })).Refunds);
        // The buyer is told of each: some units, then the whole order (R11).
        var notices = await Next(buyerNotices, 2);
        Assert.Equal([NotificationType.ItemsCanceled, NotificationType.OrderCanceled], notices.Select(n => n.Type));
        Assert.Equal(1, notices[0].Order.Items.Single(i => i.OrderItemId == "A").QuantityCanceled);
        Assert.Equal(CancelReason.NoInventory, notices[0].Cancellation.Reason);
    }

    [Fact]
    public async Task R14_R21_the_unshipped_rest_of_a_partially_shipped_order_with_an_official_buyer_request_is_canceled_without_counting()
    {
        var order = await OrderIn(server, OrderStatus.PartiallyShipped, _seller, _buyer);
        using var buyer = server.Buyer(_buyer);
        await buyer.Orders.RequestCancellationAsync(BuyerRequest(order.OrderId));
        using var seller = server.Seller(_seller);
        var request = CancelUnits(order.OrderId, ("A", 1), ("B", 1));
        request.Reason = CancelReason.BuyerCanceled;

        var answer = await seller.Refunds.CancelItemsAsync(request);

        Assert.Equal(OrderStatus.Shipped, answer.Order.Status); // nothing left unshipped
        var act = Assert.Single(answer.Order.Cancellations);
        Assert.False(act.CountsAgainstSellerRate);
        Assert.Equal(CancellationRequester.BuyerOfficial, act.Requester);
        Assert.Equal(1099 + 300 + 4500, answer.Refund.Total.Units);
        var metrics = await seller.Orders.GetCancellationMetricsAsync(new GetCancellationMetricsRequest());
        Assert.Empty(metrics.CountedOrderIds);
    }

    [Fact]
    public async Task R23_a_return_refunds_only_the_units_received_minus_the_return_fee()
    {
        var order = await OrderIn(server, OrderStatus.Shipped, _seller, _buyer);
        using var seller = server.Seller(_seller);
        var request = new RecordReturnRequest
        {
            RequestId = RequestId(),
            OrderId = order.OrderId,
            Lines = { new ReturnLine { OrderItemId = "A", QuantityReceived = 1 } },
            Deductions = { new ChargeAmount { Component = ChargeComponent.ReturnShipping, Amount = Yen(500) } },
        };

        var refund = (await seller.Refunds.RecordReturnAsync(request)).Refund;

        Assert.Equal(1099 + 300 - 500, refund.Total.Units);
        var amounts = await seller.Refunds.GetRefundableAmountsAsync(new GetRefundableAmountsRequest { OrderId = order.OrderId });
        Assert.Equal(1, amounts.Items.Single(i => i.OrderItemId == "A").QuantityReturned);
        await Expect.Failure(StatusCode.FailedPrecondition, "QUANTITY_EXCEEDS_RETURNABLE", () => seller.Refunds.RecordReturnAsync(new RecordReturnRequest
        {
            RequestId = RequestId(),
            OrderId = order.OrderId,
            Lines = { new ReturnLine { OrderItemId = "A", QuantityReceived = 2 } },
        }).ResponseAsync);
    }

    private static RefundOrderRequest FullRefund(string orderId) =>
        new() { RequestId = RequestId(), OrderId = orderId, Reason = AdjustmentReason.CustomerReturn };

    private static RefundOrderRequest PartialRefund(string orderId, string itemId, params (ChargeComponent Component, long Yen)[] amounts) => new()
    {
        RequestId = RequestId(),
        OrderId = orderId,
        Reason = AdjustmentReason.GeneralAdjustment,
        Items =
        {
            new ItemRefund
            {
                OrderItemId = itemId,
                Amounts = { amounts.Select(a => new ChargeAmount { Component = a.Component, Amount = Yen(a.Yen) }) },
            },
        },
    };

    private static CancelItemsRequest CancelUnits(string orderId, params (string Item, int Quantity)[] units) => new()
    {
        RequestId = RequestId(),
        OrderId = orderId,
        Reason = CancelReason.NoInventory,
        Items = { units.Select(u => new ItemCancellation { OrderItemId = u.Item, Quantity = u.Quantity }) },
    };

    private static (long Refunded, long Refundable) Component(GetRefundableAmountsResponse amounts, string itemId, ChargeComponent component)
    {
        var entry = amounts.Items.Single(i => i.OrderItemId == itemId).Components.Single(c => c.Component == component);
        return (entry.Refunded.Units, entry.Refundable.Units);
    }

    private sealed record CallOutcome(StatusCode Code, string? Reason, Refund? Refund);

    private static async Task<CallOutcome> Outcome(Func<Task<RefundOrderResponse>> call)
    {
        try
        {
            return new CallOutcome(StatusCode.OK, null, (await call()).Refund);
        }
        catch (RpcException exception)
        {
            return new CallOutcome(exception.StatusCode, exception.Reason(), null);
        }
    }
}
