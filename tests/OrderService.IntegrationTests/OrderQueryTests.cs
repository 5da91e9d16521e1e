using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using OrderService.Contracts.V1;
using OrderService.IntegrationTests.Infrastructure;
using static OrderService.IntegrationTests.Infrastructure.TestData;

namespace OrderService.IntegrationTests;

/// <summary>GetOrder and ListOrders: visibility (R1), filters and AIP-158 paging.</summary>
[Collection(ServerCollection.Name)]
public sealed class OrderQueryTests(ServerFixture server)
{
    private readonly string _seller = NewId("S");
    private readonly string _buyer = NewId("B");

    [Fact]
    public async Task R1_no_role_sees_the_address_or_contact_of_a_pending_order()
    {
        var order = await OrderIn(server, OrderStatus.Pending, _seller, _buyer);
        using var marketplace = server.Marketplace();
        using var seller = server.Seller(_seller);
        using var buyer = server.Buyer(_buyer);

        foreach (var connection in new[] { marketplace, seller, buyer })
        {
            var read = (await connection.Orders.GetOrderAsync(new GetOrderRequest { OrderId = order.OrderId })).Order;
            Assert.Equal(OrderStatus.Pending, read.Status);
            Assert.Null(read.ShippingAddress);
            Assert.Null(read.BuyerContact);

            var listed = (await connection.Orders.ListOrdersAsync(new ListOrdersRequest
            {
                PurchaseTimeStart = order.PurchaseTime,
                PurchaseTimeEnd = Timestamp.FromDateTimeOffset(order.PurchaseTime.ToDateTimeOffset().AddTicks(10)),
            })).Orders.Single(o => o.OrderId == order.OrderId);
            Assert.Null(listed.ShippingAddress);
            Assert.Null(listed.BuyerContact);
        }
    }

    [Fact]
    public async Task R3_the_seller_sees_the_address_once_payment_is_authorized()
    {
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var seller = server.Seller(_seller);

        var read = (await seller.Orders.GetOrderAsync(new GetOrderRequest { OrderId = order.OrderId })).Order;

        Assert.Equal("Hanako Yamada", read.ShippingAddress.RecipientName);
        Assert.Equal("JP", read.ShippingAddress.RegionCode);
    }

    [Fact]
    public async Task Getting_an_order_with_an_invalid_or_unknown_id_is_invalid_argument_or_not_found()
    {
        using var seller = server.Seller(_seller);

        await Expect.InvalidArgument("order_id", () => seller.Orders.GetOrderAsync(new GetOrderRequest()).ResponseAsync);
        // A trailing line feed is not an identifier character: "X\n" is not another "X".
        await Expect.InvalidArgument("order_id", () => seller.Orders.GetOrderAsync(new GetOrderRequest { OrderId = "250-1\n" }).ResponseAsync);
        await Expect.Failure(StatusCode.NotFound, "ORDER_NOT_FOUND",
            () => seller.Orders.GetOrderAsync(new GetOrderRequest { OrderId = NewId("missing") }).ResponseAsync);
    }

    [Fact]
    public async Task A_seller_lists_only_its_own_orders_and_a_buyer_only_theirs()
    {
        var mine = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        var otherBuyer = NewId("B");
        var someoneElses = await OrderIn(server, OrderStatus.Unshipped, NewId("S"), otherBuyer);
        using var seller = server.Seller(_seller);
        using var buyer = server.Buyer(otherBuyer);

        var sellerIds = await ListAll(seller, new ListOrdersRequest());
        var buyerIds = await ListAll(buyer, new ListOrdersRequest());

        Assert.Equal([mine.OrderId], sellerIds);
        Assert.Equal([someoneElses.OrderId], buyerIds);
    }

    [Fact]
    public async Task Pages_walk_every_order_once_newest_purchase_first()
    {
        var start = DateTimeOffset.UtcNow.AddDays(-3);
        var created = new List<string>();
        using var marketplace = server.Marketplace();
        for (var i = 0; i < 5; i++)
        {
            // Two orders share a purchase time: ties are broken by order id.
            var purchase = start.AddMinutes(i == 4 ? 3 : i);
            created.Add((await marketplace.Orders.CreateOrderAsync(CreateOrder(_seller, _buyer, purchasedAt: purchase))).Order.OrderId);
        }

        using var seller = server.Seller(_seller);
        var pages = new List<List<string>>();
        var token = "";
        do
        {
            var page = await seller.Orders.ListOrdersAsync(new ListOrdersRequest { PageSize = 2, PageToken = token });
            pages.Add(page.Orders.Select(o => o.OrderId).ToList());
            token = page.NextPageToken;
        }
        while (token != "");

        Assert.Equal([2, 2, 1], pages.Select(p => p.Count));
        var expected = new[] { created[3], created[4] }.OrderDescending(StringComparer.Ordinal)
            .Concat([created[2], created[1], created[0]]);
        Assert.Equal(expected, pages.SelectMany(p => p));
    }

    [Fact]
    public async Task Orders_filter_by_status_and_purchase_time()
    {
        var pending = await OrderIn(server, OrderStatus.Pending, _seller, _buyer);
        var unshipped = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        var shipped = await OrderIn(server, OrderStatus.Shipped, _seller, _buyer);
        using var seller = server.Seller(_seller);

        var open = await ListAll(seller, new ListOrdersRequest { Statuses = { OrderStatus.Unshipped, OrderStatus.PartiallyShipped } });
        Assert.Equal([unshipped.OrderId], open);

        var inWindow = await ListAll(seller, new ListOrdersRequest
        {
            PurchaseTimeStart = shipped.PurchaseTime,
            PurchaseTimeEnd = Timestamp.FromDateTimeOffset(shipped.PurchaseTime.ToDateTimeOffset().AddTicks(10)),
        });
        Assert.Equal([shipped.OrderId], inWindow);

        var withoutRequest = await ListAll(seller, new ListOrdersRequest { HasBuyerCancellationRequest = false });
        Assert.Equal(3, withoutRequest.Count);
        Assert.Contains(pending.OrderId, withoutRequest);
        Assert.Empty(await ListAll(seller, new ListOrdersRequest { HasBuyerCancellationRequest = true }));
    }

    [Fact]
    public async Task A_page_token_is_refused_with_other_filters_or_when_tampered_with()
    {
        using var marketplace = server.Marketplace();
        for (var i = 0; i < 3; i++)
        {
            await marketplace.Orders.CreateOrderAsync(CreateOrder(_seller, _buyer));
        }

        using var seller = server.Seller(_seller);
        var first = await seller.Orders.ListOrdersAsync(new ListOrdersRequest { PageSize = 1 });
        Assert.NotEmpty(first.NextPageToken);

        await Expect.InvalidArgument("page_token", () => seller.Orders.ListOrdersAsync(new ListOrdersRequest
        {
            PageSize = 1, PageToken = first.NextPageToken, Statuses = { OrderStatus.Pending },
        }).ResponseAsync);
        await Expect.InvalidArgument("page_token", () => seller.Orders.ListOrdersAsync(new ListOrdersRequest
        {
            PageSize = 1, PageToken = "garbage!",
        }).ResponseAsync);
    }

    [Fact]
    public async Task A_forged_page_token_with_an_impossible_position_is_invalid_argument()
    {
        using var seller = server.Seller(_seller);
        var fingerprint = OrderService.Server.Services.PageToken.FingerprintOf($"seller:{_seller}", new List<Domain.OrderStatus>(), null, null, null);
        var forged = new OrderService.Server.Services.PageToken(long.MaxValue, "250-x", fingerprint).Encode();

        await Expect.InvalidArgument("page_token", () => seller.Orders.ListOrdersAsync(new ListOrdersRequest { PageToken = forged }).ResponseAsync);
    }

    public static TheoryData<string, Action<ListOrdersRequest>> InvalidListRequests => new()
    {
        { "page_size", r => r.PageSize = -1 },
        { "statuses[0]", r => r.Statuses.Add(OrderStatus.Unspecified) },
        { "purchase_time_end", r => { r.PurchaseTimeStart = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow); r.PurchaseTimeEnd = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(-1)); } },
    };

    [Theory]
    [MemberData(nameof(InvalidListRequests))]
    public async Task An_invalid_list_request_is_invalid_argument_naming_the_field(string field, Action<ListOrdersRequest> spoil)
    {
        using var seller = server.Seller(_seller);
        var request = new ListOrdersRequest();
        spoil(request);

        await Expect.InvalidArgument(field, () => seller.Orders.ListOrdersAsync(request).ResponseAsync);
    }

    private static async Task<List<string>> ListAll(OrderService.Client.OrderServiceConnection connection, ListOrdersRequest request)
    {
        var ids = new List<string>();
        do
        {
            var page = await connection.Orders.ListOrdersAsync(request);
            ids.AddRange(page.Orders.Select(o => o.OrderId));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken != "");

        return ids;
    }
}
