using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using OrderService.Contracts.V1;
using OrderService.IntegrationTests.Infrastructure;
using static OrderService.IntegrationTests.Infrastructure.TestData;

namespace OrderService.IntegrationTests;

/// <summary>CreateOrder and AuthorizePayment: the marketplace's intake (R1, R3).</summary>
[Collection(ServerCollection.Name)]
public sealed class OrderIntakeTests(ServerFixture server)
{
    private readonly string _seller = NewId("S");
    private readonly string _buyer = NewId("B");

    [Fact]
    public async Task R1_a_created_order_is_pending_and_shows_no_address_or_contact()
    {
        using var marketplace = server.Marketplace();
        var request = CreateOrder(_seller, _buyer);

        var order = (await marketplace.Orders.CreateOrderAsync(request)).Order;

        Assert.Equal(OrderStatus.Pending, order.Status);
        Assert.Equal(request.OrderId, order.OrderId);
        Assert.Null(order.ShippingAddress);
        Assert.Null(order.BuyerContact);
        Assert.Equal(request.PurchaseTime.ToDateTimeOffset().AddDays(21), order.AutoCancelTime.ToDateTimeOffset()); // R4
        Assert.Equal(1099, order.Items[0].UnitCharges.Single(c => c.Component == ChargeComponent.Principal).Amount.Units);
        Assert.Equal(2, order.Items[0].QuantityUnshipped);
    }

    [Fact]
    public async Task R3_authorizing_payment_makes_the_order_unshipped_with_address_and_contact()
    {
        var pending = await OrderIn(server, OrderStatus.Pending, _seller, _buyer);
        using var marketplace = server.Marketplace();

        var order = (await marketplace.Orders.AuthorizePaymentAsync(Authorize(pending.OrderId))).Order;

        Assert.Equal(OrderStatus.Unshipped, order.Status);
        Assert.Equal("150-0001", order.ShippingAddress.PostalCode);
        Assert.Equal("hanako@buyers.example.invalid", order.BuyerContact.Email);
        Assert.NotNull(order.PaymentAuthorizeTime);
        Assert.Equal(order.LatestShipTime.ToDateTimeOffset().AddDays(7), order.AutoCancelTime.ToDateTimeOffset()); // R5
    }

    [Fact]
    public async Task Authorizing_an_authorized_order_is_a_failed_precondition()
    {
        var order = await OrderIn(server, OrderStatus.Unshipped, _seller, _buyer);
        using var marketplace = server.Marketplace();

        await Expect.Failure(StatusCode.FailedPrecondition, "PAYMENT_ALREADY_AUTHORIZED",
            () => marketplace.Orders.AuthorizePaymentAsync(Authorize(order.OrderId)).ResponseAsync);
    }

    [Fact]
    public async Task A_replayed_request_id_returns_the_first_answer_without_creating_twice()
    {
        using var marketplace = server.Marketplace();
        var request = CreateOrder(_seller, _buyer);

        var first = await marketplace.Orders.CreateOrderAsync(request);
        var replay = await marketplace.Orders.CreateOrderAsync(request);

        Assert.Equal(first, replay);
        var events = await server.QueryDatabaseAsync(db => db.OrderEvents.CountAsync(e => e.OrderId == request.OrderId));
        Assert.Equal(1, events);
    }

    [Fact]
    public async Task A_retry_spelling_the_same_request_id_in_capitals_gets_the_first_answer()
    {
        using var marketplace = server.Marketplace();
        var request = CreateOrder(_seller, _buyer);
        var first = await marketplace.Orders.CreateOrderAsync(request);

        var retry = request.Clone();
        retry.RequestId = request.RequestId.ToUpperInvariant();

        Assert.Equal(first, await marketplace.Orders.CreateOrderAsync(retry));
    }

    [Fact]
    public async Task An_invalid_order_is_reported_as_such_even_when_its_id_is_taken()
    {
        using var marketplace = server.Marketplace();
        var first = CreateOrder(_seller, _buyer);
        await marketplace.Orders.CreateOrderAsync(first);
        var invalid = CreateOrder(_seller, _buyer, first.OrderId);
        invalid.Items[1].OrderItemId = "A"; // duplicate item id: the domain's check

        await Expect.InvalidArgument("items[1].order_item_id", () => marketplace.Orders.CreateOrderAsync(invalid).ResponseAsync);
    }

    [Fact]
    public async Task A_latest_ship_date_far_in_the_future_is_invalid_argument_not_a_server_error()
    {
        using var marketplace = server.Marketplace();
        var request = CreateOrder(_seller, _buyer);
        request.LatestShipTime = Timestamp.FromDateTimeOffset(new DateTimeOffset(9999, 12, 30, 0, 0, 0, TimeSpan.Zero));

        await Expect.InvalidArgument("latest_ship_time", () => marketplace.Orders.CreateOrderAsync(request).ResponseAsync);
    }

    [Fact]
    public async Task A_request_id_reused_for_another_request_is_already_exists_naming_request_id()
    {
        using var marketplace = server.Marketplace();
        var first = CreateOrder(_seller, _buyer);
        await marketplace.Orders.CreateOrderAsync(first);
        var other = CreateOrder(_seller, _buyer);
        other.RequestId = first.RequestId;

        var error = await Expect.Failure(StatusCode.AlreadyExists, "REQUEST_ID_REUSED",
            () => marketplace.Orders.CreateOrderAsync(other).ResponseAsync);

        Assert.Contains("request_id", OrderService.Client.RpcExceptionDetails.InvalidFields(error));
        var created = await server.QueryDatabaseAsync(db => db.Orders.AnyAsync(o => o.Id == other.OrderId));
        Assert.False(created);
    }

    [Fact]
    public async Task A_second_order_with_an_existing_order_id_is_already_exists()
    {
        using var marketplace = server.Marketplace();
        var first = CreateOrder(_seller, _buyer);
        await marketplace.Orders.CreateOrderAsync(first);

        await Expect.Failure(StatusCode.AlreadyExists, "ORDER_ALREADY_EXISTS",
            () => marketplace.Orders.CreateOrderAsync(CreateOrder(_seller, _buyer, first.OrderId)).ResponseAsync);
    }

    [Fact]
    public async Task Concurrent_retries_of_one_request_create_one_order_and_get_one_answer()
    {
        using var marketplace = server.Marketplace();
        var request = CreateOrder(_seller, _buyer);

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => marketplace.Orders.CreateOrderAsync(request).ResponseAsync));

        Assert.All(answers, answer => Assert.Equal(answers[0], answer));
        var events = await server.QueryDatabaseAsync(db => db.OrderEvents.CountAsync(e => e.OrderId == request.OrderId));
        Assert.Equal(1, events);
    }

    public static TheoryData<string, Action<CreateOrderRequest>> InvalidCreateRequests => new()
    {
        // Over a trillion yen a unit: refused, where 10,000 units of it overflowed (INTERNAL).
        { "items[0].unit_charges[0].amount.units", r => (r.Items[0].Quantity, r.Items[0].UnitCharges[0].Amount.Units) = (10_000, 1_000_000_000_000_001) },
        // 32,000 characters: refused without echoing them into every amount's violation,
        // which outgrew the trailers and broke the HTTP/2 connection.
        { "currency_code", r => r.CurrencyCode = new string('X', 32_000) },
        { "request_id", r => r.RequestId = "" },
        { "request_id", r => r.RequestId = "not-a-uuid" },
        { "order_id", r => r.OrderId = "" },
        { "order_id", r => r.OrderId = "has space" },
        { "seller_id", r => r.SellerId = "" },
        { "buyer_id", r => r.BuyerId = new string('b', 65) },
        { "currency_code", r => r.CurrencyCode = "" },
        { "currency_code", r => r.CurrencyCode = "jpy" },
        { "currency_code", r => r.CurrencyCode = new string('J', 10_000) },
        { "currency_code", r => { r.CurrencyCode = "XYZ"; foreach (var c in r.Items.SelectMany(i => i.UnitCharges)) { c.Amount.CurrencyCode = "XYZ"; } } },
        { "purchase_time", r => r.PurchaseTime = null },
        { "latest_ship_time", r => r.LatestShipTime = r.PurchaseTime.ToDateTimeOffset().AddDays(-1).ToTimestamp() },
        { "items", r => r.Items.Clear() },
        { "items[0].quantity", r => r.Items[0].Quantity = 0 },
        { "items[1].order_item_id", r => r.Items[1].OrderItemId = "A" },
        { "items[0].sku", r => r.Items[0].Sku = "" },
        { "items[0].unit_charges[0].amount.nanos", r => r.Items[0].UnitCharges[0].Amount.Nanos = 500_000_000 }, // half a yen
        { "items[0].unit_charges[0].amount.currency_code", r => r.Items[0].UnitCharges[0].Amount.CurrencyCode = "USD" },
        { "items[0].unit_charges[0].amount", r => r.Items[0].UnitCharges[0].Amount.Units = -1 },
        { "items[0].unit_charges[0].component", r => r.Items[0].UnitCharges[0].Component = ChargeComponent.Unspecified },
        { "items[1].unit_charges", r => r.Items[1].UnitCharges[0].Component = ChargeComponent.Tax },
        { "items[0].unit_charges[1].component", r => r.Items[0].UnitCharges[1].Component = ChargeComponent.ReturnShipping },
    };

    [Theory]
    [MemberData(nameof(InvalidCreateRequests))]
    public async Task An_invalid_create_request_is_invalid_argument_naming_the_field_and_creates_nothing(string field, Action<CreateOrderRequest> spoil)
    {
        using var marketplace = server.Marketplace();
        var request = CreateOrder(_seller, _buyer);
        spoil(request);

        await Expect.InvalidArgument(field, () => marketplace.Orders.CreateOrderAsync(request).ResponseAsync);

        var created = await server.QueryDatabaseAsync(db => db.Orders.AnyAsync(o => o.Id == request.OrderId));
        Assert.False(created);
    }

    [Fact]
    public async Task Several_invalid_fields_are_all_named_in_one_answer()
    {
        using var marketplace = server.Marketplace();
        var request = CreateOrder(_seller, _buyer);
        request.OrderId = "";
        request.Items[0].Quantity = 0;

        var error = await Expect.InvalidArgument("order_id", () => marketplace.Orders.CreateOrderAsync(request).ResponseAsync);

        Assert.Contains("items[0].quantity", OrderService.Client.RpcExceptionDetails.InvalidFields(error));
    }

    public static TheoryData<string, Action<AuthorizePaymentRequest>> InvalidAuthorizeRequests => new()
    {
        { "shipping_address", r => r.ShippingAddress = null },
        { "shipping_address.recipient_name", r => r.ShippingAddress.RecipientName = "" },
        { "shipping_address.address_lines", r => r.ShippingAddress.AddressLines.Clear() },
        { "shipping_address.region_code", r => r.ShippingAddress.RegionCode = "Japan" },
        { "shipping_address.postal_code", r => r.ShippingAddress.PostalCode = "" },
        { "buyer_contact", r => r.BuyerContact = null },
        { "buyer_contact.email", r => r.BuyerContact.Email = "not an address" },
    };

    [Theory]
    [MemberData(nameof(InvalidAuthorizeRequests))]
    public async Task An_invalid_authorize_request_is_invalid_argument_and_leaves_the_order_pending(string field, Action<AuthorizePaymentRequest> spoil)
    {
        var pending = await OrderIn(server, OrderStatus.Pending, _seller, _buyer);
        using var marketplace = server.Marketplace();
        var request = Authorize(pending.OrderId);
        spoil(request);

        await Expect.InvalidArgument(field, () => marketplace.Orders.AuthorizePaymentAsync(request).ResponseAsync);

        var order = (await marketplace.Orders.GetOrderAsync(new GetOrderRequest { OrderId = pending.OrderId })).Order;
        Assert.Equal(OrderStatus.Pending, order.Status);
    }

    [Fact]
    public async Task Authorizing_an_unknown_order_is_not_found()
    {
        using var marketplace = server.Marketplace();

        await Expect.Failure(StatusCode.NotFound, "ORDER_NOT_FOUND",
            () => marketplace.Orders.AuthorizePaymentAsync(Authorize(NewId("missing"))).ResponseAsync);
    }

    [Fact]
    public async Task Every_change_appends_an_event_in_order()
    {
        var order = await OrderIn(server, OrderStatus.PartiallyShipped, _seller, _buyer);

        var events = await server.QueryDatabaseAsync(db => db.OrderEvents
            .Where(e => e.OrderId == order.OrderId).OrderBy(e => e.Id).Select(e => e.Type).ToListAsync());

        Assert.Equal(["OrderCreated", "PaymentAuthorized", "ShipmentConfirmed"], events);
    }
}
