using Grpc.Core;
using OrderService.Contracts.V1;
using OrderService.IntegrationTests.Infrastructure;
using static OrderService.IntegrationTests.Infrastructure.Notices;
using static OrderService.IntegrationTests.Infrastructure.TestData;

namespace OrderService.IntegrationTests;

/// <summary>The buyer who can no longer receive at the order's address (R40-R43): the
/// address is never edited; the answer is the path for the order's state, the seller is
/// told, and a shipped order comes back by carrier and is refunded minus the return fee.</summary>
[Collection(ServerCollection.Name)]
public sealed class AddressChangeTests(ServerFixture server)
{
    private readonly string _seller = NewId("S");
    private readonly string _buyer = NewId("B");

    public static TheoryData<OrderStatus, AddressChangeOutcome, ReplyTemplateId> Paths => new()
    {
        { OrderStatus.Pending, AddressChangeOutcome.ContactCustomerService, ReplyTemplateId.T2PendingContactCustomerService },
        { OrderStatus.Unshipped, AddressChangeOutcome.CancelAndReorder, ReplyTemplateId.T4CancelAndReorder },
        { OrderStatus.PartiallyShipped, AddressChangeOutcome.CarrierReturn, ReplyTemplateId.T6CarrierReturn },
        { OrderStatus.Shipped, AddressChangeOutcome.CarrierReturn, ReplyTemplateId.T6CarrierReturn },
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task R40_R41_R42_the_address_is_never_edited_and_the_answer_is_the_path_for_the_orders_state(
        OrderStatus status, AddressChangeOutcome outcome, ReplyTemplateId template)
    {
        var order = await OrderIn(server, status, _seller, _buyer);
        using var buyer = server.Buyer(_buyer);
        using var seller = server.Seller(_seller);
        using var notices = await Subscribed(seller, new SubscribeRequest { Types_ = { NotificationType.AddressChangeRequested } });

        var answer = await buyer.Orders.RequestAddressChangeAsync(AddressChange(order.OrderId));

        Assert.Equal(outcome, answer.Outcome);
        Assert.Equal(template, answer.Reply.TemplateId);
        Assert.Equal("ja", answer.Reply.LanguageCode);
        Assert.Contains(order.OrderId, answer.Reply.Subject);
        Assert.Contains(order.OrderId, answer.Reply.Body);

        Assert.Equal(order.ShippingAddress, answer.Order.ShippingAddress); // R40: never edited
        Assert.Equal(status, answer.Order.Status);
        var notice = Assert.Single(await Next(notices, 1));
        Assert.Equal((NotificationType.AddressChangeRequested, order.OrderId), (notice.Type, notice.OrderId));
        Assert.Equal("I moved and can no longer receive there.", notice.AddressChangeReason); // the seller learns why
    }

    [Fact]
    public async Task R40_a_canceled_order_is_refused_and_only_the_buyer_may_ask()
    {
        var canceled = await OrderIn(server, OrderStatus.Canceled, _seller, _buyer);
        using var buyer = server.Buyer(_buyer);
        using var seller = server.Seller(_seller);

        await Expect.Failure(StatusCode.FailedPrecondition, "ORDER_CANCELED",
            () => buyer.Orders.RequestAddressChangeAsync(AddressChange(canceled.OrderId)).ResponseAsync);
        await Assert.ThrowsAsync<RpcException>(() => seller.Orders.RequestAddressChangeAsync(AddressChange(canceled.OrderId)).ResponseAsync);
        await Expect.InvalidArgument("reason", () => buyer.Orders.RequestAddressChangeAsync(new RequestAddressChangeRequest
        {
            RequestId = RequestId(),
            OrderId = canceled.OrderId,
        }).ResponseAsync);
    }

    [Theory]
    [InlineData(CarrierReturnCause.BuyerCannotReceive)] // R42
    [InlineData(CarrierReturnCause.BuyerNotResponding)] // R43
    public async Task R42_R43_a_carrier_return_is_in_progress_until_the_package_is_back_and_refunded_minus_the_return_fee(CarrierReturnCause cause)
    {
        var order = await OrderIn(server, OrderStatus.Shipped, _seller, _buyer);
        using var seller = server.Seller(_seller);
        using var buyer = server.Buyer(_buyer);
        using var buyerNotices = await Subscribed(buyer, new SubscribeRequest
        {
            Types_ = { NotificationType.CarrierReturnRequested, NotificationType.ReturnRecorded },
        });

        var requested = (await seller.Orders.RequestCarrierReturnAsync(CarrierReturn(order.OrderId, cause))).Order;
        Assert.Equal(OrderStatus.Shipped, requested.Status); // the units are shipped while they travel back
        await Expect.Failure(StatusCode.FailedPrecondition, "CARRIER_RETURN_IN_PROGRESS",
            () => seller.Orders.RequestCarrierReturnAsync(CarrierReturn(order.OrderId)).ResponseAsync);
        var refund = (await seller.Refunds.RecordReturnAsync(new RecordReturnRequest
        {
            RequestId = RequestId(),
            OrderId = order.OrderId,
            Lines = { new ReturnLine { OrderItemId = "A", QuantityReceived = 2 }, new ReturnLine { OrderItemId = "B", QuantityReceived = 1 } },
            Deductions = { new ChargeAmount { Component = ChargeComponent.ReturnShipping, Amount = Yen(800) } },
        })).Refund;

        Assert.Equal(2 * (1099 + 300) + 4500 - 800, refund.Total.Units);
        Assert.Equal(AdjustmentReason.Undeliverable, refund.Reason);
        var notices = await Next(buyerNotices, 2);
        Assert.Equal([NotificationType.CarrierReturnRequested, NotificationType.ReturnRecorded], notices.Select(n => n.Type));
        Assert.Equal(refund, notices[1].Refund); // the return's notice carries its refund
        // Closed: a new carrier return finds nothing left to bring back.
        await Expect.Failure(StatusCode.FailedPrecondition, "NOTHING_TO_RETURN",
            () => seller.Orders.RequestCarrierReturnAsync(CarrierReturn(order.OrderId)).ResponseAsync);
    }

    [Fact]
    public async Task R42_a_carrier_return_of_an_order_not_shipped_is_refused()
    {
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var seller = server.Seller(_seller);

        var refused = await Assert.ThrowsAsync<RpcException>(() => seller.Orders.RequestCarrierReturnAsync(CarrierReturn(order.OrderId)).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
    }

    private static RequestAddressChangeRequest AddressChange(string orderId) =>
        new() { RequestId = RequestId(), OrderId = orderId, Reason = "I moved and can no longer receive there." };

    private static RequestCarrierReturnRequest CarrierReturn(string orderId, CarrierReturnCause cause = CarrierReturnCause.BuyerCannotReceive) =>
        new() { RequestId = RequestId(), OrderId = orderId, Cause = cause };
}
