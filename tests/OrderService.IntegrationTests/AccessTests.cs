using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OrderService.Contracts.V1;
using OrderService.IntegrationTests.Infrastructure;
using OrderService.Server.Access;
using static OrderService.IntegrationTests.Infrastructure.TestData;

namespace OrderService.IntegrationTests;

/// <summary>Who may call what, and who may see which order.</summary>
[Collection(ServerCollection.Name)]
public sealed class AccessTests(ServerFixture server)
{
    private readonly string _seller = NewId("S");
    private readonly string _buyer = NewId("B");

    [Fact]
    public async Task A_call_without_a_token_is_unauthenticated()
    {
        using var anonymous = server.WithToken(null);

        await Expect.Failure(StatusCode.Unauthenticated, "TOKEN_MISSING",
            () => anonymous.Orders.GetOrderAsync(new GetOrderRequest { OrderId = "x" }).ResponseAsync);
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_unauthenticated()
    {
        var forged = TokenMinter.Mint(new TokenSettings { SigningKey = "some-other-key-that-is-long-enough-0123456789" },
            "marketplace", "intruder", TimeSpan.FromHours(1), DateTimeOffset.UtcNow);
        using var intruder = server.WithToken(forged);

        await Expect.Failure(StatusCode.Unauthenticated, "TOKEN_INVALID",
            () => intruder.Orders.CreateOrderAsync(CreateOrder(_seller, _buyer)).ResponseAsync);
    }

    [Theory]
    [InlineData(-3 * 3600)] // expired hours ago
    [InlineData(-60)]       // a minute past expiry: beyond the 5 s allowed for clock skew
    public async Task An_expired_token_is_unauthenticated(int expiredSecondsAgo)
    {
        var expired = TokenMinter.Mint(ServerFixture.Tokens, "seller", _seller, TimeSpan.FromHours(1),
            DateTimeOffset.UtcNow.AddSeconds(expiredSecondsAgo).AddHours(-1));
        using var seller = server.WithToken(expired);

        await Expect.Failure(StatusCode.Unauthenticated, "TOKEN_INVALID",
            () => seller.Orders.ListOrdersAsync(new ListOrdersRequest()).ResponseAsync);
    }

    [Fact]
    public async Task A_token_with_an_unknown_role_is_unauthenticated()
    {
        using var admin = server.As("admin", "root");

        await Expect.Failure(StatusCode.Unauthenticated, "TOKEN_CLAIMS_INVALID",
            () => admin.Orders.ListOrdersAsync(new ListOrdersRequest()).ResponseAsync);
    }

    [Theory]
    [InlineData("too long")]
    [InlineData("trailing line feed")] // "S\n" would be another seller than "S" that prints the same
    public async Task A_token_whose_id_is_not_an_identifier_is_unauthenticated(string mistake)
    {
        using var seller = server.As("seller", mistake == "too long" ? new string('s', 200) : _seller + "\n");

        await Expect.Failure(StatusCode.Unauthenticated, "TOKEN_CLAIMS_INVALID",
            () => seller.Orders.ListOrdersAsync(new ListOrdersRequest()).ResponseAsync);
    }

    [Fact]
    public async Task A_seller_may_not_call_the_marketplace_intake()
    {
        using var seller = server.Seller(_seller);

        await Expect.Failure(StatusCode.PermissionDenied, "ROLE_NOT_ALLOWED",
            () => seller.Orders.CreateOrderAsync(CreateOrder(_seller, _buyer)).ResponseAsync);
        await Expect.Failure(StatusCode.PermissionDenied, "ROLE_NOT_ALLOWED",
            () => seller.Orders.AuthorizePaymentAsync(Authorize("any")).ResponseAsync);
    }

    [Fact]
    public async Task A_buyer_may_not_ship_and_the_order_stays_unshipped()
    {
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var buyer = server.Buyer(_buyer);

        await Expect.Failure(StatusCode.PermissionDenied, "ROLE_NOT_ALLOWED",
            () => buyer.Orders.ConfirmShipmentAsync(Ship(order.OrderId, ("A", 1))).ResponseAsync);

        Assert.Equal(OrderStatus.Unshipped, (await buyer.Orders.GetOrderAsync(new GetOrderRequest { OrderId = order.OrderId })).Order.Status);
    }

    [Fact]
    public async Task The_marketplace_may_not_ship_for_a_seller()
    {
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var marketplace = server.Marketplace();

        await Expect.Failure(StatusCode.PermissionDenied, "ROLE_NOT_ALLOWED",
            () => marketplace.Orders.ConfirmShipmentAsync(Ship(order.OrderId, ("A", 1))).ResponseAsync);
    }

    [Fact]
    public async Task Another_sellers_order_is_not_found_for_reading_and_for_shipping()
    {
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var otherSeller = server.Seller(NewId("S"));

        await Expect.Failure(StatusCode.NotFound, "ORDER_NOT_FOUND",
            () => otherSeller.Orders.GetOrderAsync(new GetOrderRequest { OrderId = order.OrderId }).ResponseAsync);
        await Expect.Failure(StatusCode.NotFound, "ORDER_NOT_FOUND",
            () => otherSeller.Orders.ConfirmShipmentAsync(Ship(order.OrderId, ("A", 1))).ResponseAsync);

        using var owner = server.Seller(_seller);
        Assert.Empty((await owner.Orders.GetOrderAsync(new GetOrderRequest { OrderId = order.OrderId })).Order.Shipments);
    }

    [Fact]
    public async Task Another_buyers_order_is_not_found()
    {
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var otherBuyer = server.Buyer(NewId("B"));
        using var buyer = server.Buyer(_buyer);

        await Expect.Failure(StatusCode.NotFound, "ORDER_NOT_FOUND",
            () => otherBuyer.Orders.GetOrderAsync(new GetOrderRequest { OrderId = order.OrderId }).ResponseAsync);
        Assert.Equal(order.OrderId, (await buyer.Orders.GetOrderAsync(new GetOrderRequest { OrderId = order.OrderId })).Order.OrderId);
    }

    [Fact]
    public async Task The_same_request_id_from_two_sellers_does_not_collide()
    {
        var first = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        var otherSellerId = NewId("S");
        var second = await OrderIn(server, OrderStatus.Unshipped, otherSellerId, _buyer);
        using var seller = server.Seller(_seller);
        using var otherSeller = server.Seller(otherSellerId);
        var requestId = RequestId();
        var firstShipment = Ship(first.OrderId, ("B", 1));
        firstShipment.RequestId = requestId;
        var secondShipment = Ship(second.OrderId, ("B", 1));
        secondShipment.RequestId = requestId;

        await seller.Orders.ConfirmShipmentAsync(firstShipment);
        var answer = await otherSeller.Orders.ConfirmShipmentAsync(secondShipment);

        Assert.Equal(second.OrderId, answer.Order.OrderId);
    }

    /// <summary>Served without a token by design (see PlatformTests), outside the policy.</summary>
    private static readonly string[] TokenFreeServices =
        ["grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"];

    [Fact]
    public void Every_method_of_the_contract_has_an_access_rule()
    {
        // Every method the server maps, read from its endpoints rather than counted by hand:
        // a new RPC or service is checked here without editing this test, and fails it until
        // AccessPolicy has a rule for it.
        var served = server.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Select(endpoint => endpoint.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method)
            .OfType<IMethod>()
            .Where(method => !TokenFreeServices.Contains(method.ServiceName))
            .Select(method => method.FullName)
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.All(AccessPolicy.CoveredMethods, method => Assert.NotEmpty(AccessPolicy.RolesFor(method)));
        Assert.All(served, method => Assert.NotEmpty(AccessPolicy.RolesFor(method)));
        Assert.Equal(served, AccessPolicy.CoveredMethods.Order(StringComparer.Ordinal));
    }
}
