using Grpc.Core;
using OrderService.Client;
using OrderService.Contracts.V1;
using OrderService.IntegrationTests.Infrastructure;
using static OrderService.IntegrationTests.Infrastructure.TestData;

namespace OrderService.IntegrationTests;

/// <summary>The two ways to cancel a whole order.</summary>
public enum CancellationPath
{
    /// <summary>CancelOrder: the seller cancels (R10).</summary>
    SellerCancelOrder,
    /// <summary>RequestCancellation: the buyer asks through the official route (R13).</summary>
    BuyerRequestCancellation,
}

/// <summary>Every order status against both cancellation paths, as docs/lifecycle.md's
/// table has them: the RPC either succeeds, leaving the order in a given status, or is
/// refused with FAILED_PRECONDITION and a reason, leaving the order as it was.</summary>
[Collection(ServerCollection.Name)]
public sealed class CancellationTableTests(ServerFixture server)
{
    private readonly string _seller = NewId("S");
    private readonly string _buyer = NewId("B");

    /// <summary>(status before, path, code, ErrorInfo reason or "" when OK, status after).</summary>
    public static TheoryData<OrderStatus, CancellationPath, StatusCode, string, OrderStatus> Table => new()
    {
        // CancelOrder (seller): only a whole UNSHIPPED order (R2, R10, R12, R16, R21).
        { OrderStatus.Pending, CancellationPath.SellerCancelOrder, StatusCode.FailedPrecondition, "ORDER_PENDING", OrderStatus.Pending },
        { OrderStatus.Unshipped, CancellationPath.SellerCancelOrder, StatusCode.OK, "", OrderStatus.Canceled },
        { OrderStatus.PartiallyShipped, CancellationPath.SellerCancelOrder, StatusCode.FailedPrecondition, "ORDER_PARTIALLY_SHIPPED", OrderStatus.PartiallyShipped },
        { OrderStatus.Shipped, CancellationPath.SellerCancelOrder, StatusCode.FailedPrecondition, "ORDER_SHIPPED", OrderStatus.Shipped },
        { OrderStatus.Canceled, CancellationPath.SellerCancelOrder, StatusCode.FailedPrecondition, "ORDER_CANCELED", OrderStatus.Canceled },
        // RequestCancellation (buyer): PENDING is canceled at once, open orders carry the
        // request, shipped and canceled ones are refused (R12, R13, R16).
        { OrderStatus.Pending, CancellationPath.BuyerRequestCancellation, StatusCode.OK, "", OrderStatus.Canceled },
        { OrderStatus.Unshipped, CancellationPath.BuyerRequestCancellation, StatusCode.OK, "", OrderStatus.Unshipped },
        { OrderStatus.PartiallyShipped, CancellationPath.BuyerRequestCancellation, StatusCode.OK, "", OrderStatus.PartiallyShipped },
        { OrderStatus.Shipped, CancellationPath.BuyerRequestCancellation, StatusCode.FailedPrecondition, "ORDER_SHIPPED", OrderStatus.Shipped },
        { OrderStatus.Canceled, CancellationPath.BuyerRequestCancellation, StatusCode.FailedPrecondition, "ORDER_CANCELED", OrderStatus.Canceled },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public async Task R10_R13_each_status_answers_each_cancellation_path_as_the_lifecycle_table_says(
        OrderStatus before, CancellationPath path, StatusCode code, string reason, OrderStatus after)
    {
        var order = await OrderIn(server, before, _seller, _buyer);
        using var seller = server.Seller(_seller);
        using var buyer = server.Buyer(_buyer);
        Func<Task<Order>> call = path switch
        {
            CancellationPath.SellerCancelOrder => async () => (await seller.Orders.CancelOrderAsync(Cancel(order.OrderId))).Order,
            CancellationPath.BuyerRequestCancellation => async () => (await buyer.Orders.RequestCancellationAsync(BuyerRequest(order.OrderId))).Order,
            _ => throw new ArgumentOutOfRangeException(nameof(path)),
        };

        if (code == StatusCode.OK)
        {
            var answered = await call();
            Assert.Equal(after, answered.Status);
        }
        else
        {
            await Expect.Failure(code, reason, call);
        }

        var stored = (await seller.Orders.GetOrderAsync(new GetOrderRequest { OrderId = order.OrderId })).Order;
        Assert.Equal(after, stored.Status);
        if (code != StatusCode.OK)
        {
            Assert.Equal(order.Etag, stored.Etag); // a refusal changes nothing
        }
    }
}
