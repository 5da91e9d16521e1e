using Grpc.Core;
using OrderService.Client;
using OrderService.Contracts.V1;
using OrderService.IntegrationTests.Infrastructure;
using static OrderService.IntegrationTests.Infrastructure.TestData;

namespace OrderService.IntegrationTests;

/// <summary>SubmitAdjustmentFeed: many refunds in one request through the feed engine
/// (R20). Each line gets what RefundOrder would answer, one bad line never undoes the
/// others, and the feed as a whole is idempotent by request_id. The test order: A x2 at
/// 1099 + 300 shipping per unit, B x1 at 4500 (JPY).</summary>
[Collection(ServerCollection.Name)]
public sealed class AdjustmentFeedTests(ServerFixture server)
{
    private readonly string _seller = NewId("S");
    private readonly string _buyer = NewId("B");

    [Fact]
    public async Task R20_each_line_gets_the_answer_RefundOrder_would_give_and_a_bad_line_never_undoes_the_others()
    {
        var shipped = await OrderIn(server, OrderStatus.Shipped, _seller, _buyer);
        var unshipped = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        var other = await OrderIn(server, OrderStatus.Shipped, _seller, _buyer);
        var othersOrder = await OrderIn(server, OrderStatus.Shipped, NewId("S"), _buyer);
        using var seller = server.Seller(_seller);
        var halfYen = Line(other.OrderId, "A", 100);
        halfYen.Items[0].Amounts[0].Amount.Nanos = 500_000_000;
        var feed = Feed(
            Line(shipped.OrderId, "A", 1000),        // 1: accepted
            Line(shipped.OrderId, "A", 1198),        // 2: accepted, the rest of A's principal
            Line(shipped.OrderId, "A", 1),           // 3: nothing left (R22)
            Line(unshipped.OrderId, "A", 100),       // 4: nothing shipped
            halfYen,                                 // 5: a fraction of a yen, never rounded
            new AdjustmentFeedLine { OrderId = othersOrder.OrderId, Reason = AdjustmentReason.Other }, // 6: not the seller's
            new AdjustmentFeedLine { OrderId = other.OrderId, Reason = AdjustmentReason.CustomerReturn }); // 7: full refund

        var answer = await seller.Refunds.SubmitAdjustmentFeedAsync(feed);

        Assert.Equal(new FeedSummary { Lines = 7, Accepted = 3, Failed = 4 }, answer.Summary);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], answer.Results.Select(r => r.LineNumber));
        Assert.Equal([1000L, 1198L], answer.Results.Take(2).Select(r => r.Refund.Total.Units));
        Expect.Refused(answer.Results[2].Status, StatusCode.FailedPrecondition, "AMOUNT_EXCEEDS_REFUNDABLE");
        Assert.Null(answer.Results[2].Refund);
        Expect.Refused(answer.Results[3].Status, StatusCode.FailedPrecondition, "ORDER_NOT_SHIPPED");
        Expect.Refused(answer.Results[4].Status, StatusCode.InvalidArgument, "INVALID_FIELD");
        Expect.Refused(answer.Results[5].Status, StatusCode.NotFound, "ORDER_NOT_FOUND");
        Assert.Equal(2 * (1099 + 300) + 4500, answer.Results[6].Refund.Total.Units);

        // Each refusal is the status RefundOrder itself gives for that line.
        foreach (var (line, index) in new[] { (feed.Lines[2], 2), (feed.Lines[3], 3), (feed.Lines[5], 5) })
        {
            var single = await Assert.ThrowsAsync<RpcException>(() => seller.Refunds.RefundOrderAsync(new RefundOrderRequest
            {
                RequestId = RequestId(),
                OrderId = line.OrderId,
                Reason = line.Reason,
                Items = { line.Items },
            }).ResponseAsync);
            Assert.Equal(single.GetRpcStatus(), answer.Results[index].Status);
        }

        var refunds = (await seller.Refunds.ListRefundsAsync(new ListRefundsRequest { OrderId = shipped.OrderId })).Refunds;
        Assert.Equal(2, refunds.Count);
        Assert.Equal(answer.Results.Take(2).Select(r => r.Refund).OrderBy(r => r.RefundId), refunds.OrderBy(r => r.RefundId));
    }

    [Fact]
    public async Task R20_a_replayed_feed_returns_the_identical_answer_and_refunds_nothing_more_and_validate_only_changes_nothing()
    {
        var order = await OrderIn(server, OrderStatus.Shipped, _seller, _buyer);
        using var seller = server.Seller(_seller);
        var feed = Feed(Line(order.OrderId, "B", 500), Line(order.OrderId, "B", 700));
        var preview = feed.Clone();
        preview.ValidateOnly = true;

        var checkedOnly = await seller.Refunds.SubmitAdjustmentFeedAsync(preview);
        Assert.Empty((await seller.Refunds.ListRefundsAsync(new ListRefundsRequest { OrderId = order.OrderId })).Refunds);
        var first = await seller.Refunds.SubmitAdjustmentFeedAsync(feed);
        var replay = await seller.Refunds.SubmitAdjustmentFeedAsync(feed);

        Assert.Equal(first, replay);
        Assert.Equal(checkedOnly.Summary, first.Summary);
        Assert.Equal(checkedOnly.Results.Select(r => r.Refund.Total), first.Results.Select(r => r.Refund.Total));
        var amounts = await seller.Refunds.GetRefundableAmountsAsync(new GetRefundableAmountsRequest { OrderId = order.OrderId });
        var principal = amounts.Items.Single(i => i.OrderItemId == "B").Components.Single();
        Assert.Equal((1200L, 3300L), (principal.Refunded.Units, principal.Refundable.Units));

        var reused = feed.Clone();
        reused.Lines.Add(Line(order.OrderId, "B", 1));
        await Expect.Failure(StatusCode.AlreadyExists, "REQUEST_ID_REUSED", () => seller.Refunds.SubmitAdjustmentFeedAsync(reused).ResponseAsync);
    }

    [Fact]
    public async Task An_empty_or_oversized_adjustment_feed_is_invalid_argument_and_only_a_seller_may_submit_one()
    {
        using var seller = server.Seller(_seller);
        using var buyer = server.Buyer(_buyer);

        await Expect.InvalidArgument("lines", () => seller.Refunds.SubmitAdjustmentFeedAsync(Feed()).ResponseAsync);
        await Expect.InvalidArgument("lines", () => seller.Refunds.SubmitAdjustmentFeedAsync(
            Feed(Enumerable.Range(0, 20_001).Select(_ => Line(NewId("250"), "A", 1)).ToArray())).ResponseAsync);
        var denied = await Assert.ThrowsAsync<RpcException>(() => buyer.Refunds.SubmitAdjustmentFeedAsync(Feed(Line(NewId("250"), "A", 1))).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
    }

    private static SubmitAdjustmentFeedRequest Feed(params AdjustmentFeedLine[] lines) =>
        new() { RequestId = RequestId(), Lines = { lines } };

    private static AdjustmentFeedLine Line(string orderId, string itemId, long principalYen) => new()
    {
        OrderId = orderId,
        Reason = AdjustmentReason.GeneralAdjustment,
        Items =
        {
            new ItemRefund
            {
                OrderItemId = itemId,
                Amounts = { new ChargeAmount { Component = ChargeComponent.Principal, Amount = Yen(principalYen) } },
            },
        },
    };
}
