using Grpc.Core;
using Google.Protobuf.WellKnownTypes;
using OrderService.Client;
using OrderService.Contracts.V1;

namespace OrderService.IntegrationTests.Infrastructure;

/// <summary>Requests with valid defaults, and orders brought to a status through the API.</summary>
public static class TestData
{
    public static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public static string RequestId() => Guid.NewGuid().ToString();

    /// <summary>R17's rounding, written out independently of the server: counted * 10000 /
    /// total, half up; 0 without orders.</summary>
    public static int BasisPoints(int counted, int total) =>
        total == 0 ? 0 : (int)Math.Round(counted * 10_000m / total, MidpointRounding.AwayFromZero);

    /// <summary>How many events of the order the log holds, of one type or of all.</summary>
    public static Task<int> EventCount(ServerFixture server, string orderId, string? type = null) =>
        server.QueryDatabaseAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(
            db.OrderEvents, e => e.OrderId == orderId && (type == null || e.Type == type)));

    public static Google.Type.Money Yen(long amount) => new() { CurrencyCode = "JPY", Units = amount };

    /// <summary>Item A x2 (1099 + 300 shipping per unit), item B x1 (4500), JPY. Purchased an
    /// hour ago and to ship within 2 days of purchase unless told otherwise.</summary>
    public static CreateOrderRequest CreateOrder(string sellerId, string buyerId, string? orderId = null, DateTimeOffset? purchasedAt = null, DateTimeOffset? latestShipAt = null)
    {
        var purchase = purchasedAt ?? DateTimeOffset.UtcNow.AddHours(-1);
        return new CreateOrderRequest
        {
            RequestId = RequestId(),
            OrderId = orderId ?? NewId("250"),
            SellerId = sellerId,
            BuyerId = buyerId,
            CurrencyCode = "JPY",
            PurchaseTime = Timestamp.FromDateTimeOffset(purchase),
            LatestShipTime = Timestamp.FromDateTimeOffset(latestShipAt ?? purchase.AddDays(2)),
            Items =
            {
                new NewOrderItem
                {
                    OrderItemId = "A", Sku = "SKU-A", Title = "Tea cup", Quantity = 2,
                    UnitCharges =
                    {
                        new ChargeAmount { Component = ChargeComponent.Principal, Amount = Yen(1099) },
                        new ChargeAmount { Component = ChargeComponent.Shipping, Amount = Yen(300) },
                    },
                },
                new NewOrderItem
                {
                    OrderItemId = "B", Sku = "SKU-B", Title = "Teapot", Quantity = 1,
                    UnitCharges = { new ChargeAmount { Component = ChargeComponent.Principal, Amount = Yen(4500) } },
                },
            },
        };
    }

    public static AuthorizePaymentRequest Authorize(string orderId) => new()
    {
        RequestId = RequestId(),
        OrderId = orderId,
        ShippingAddress = new ShippingAddress
        {
            RecipientName = "Hanako Yamada",
            AddressLines = { "1-2-3 Jingumae" },
            Locality = "Shibuya-ku",
            AdministrativeArea = "Tokyo",
            PostalCode = "150-0001",
            RegionCode = "JP",
        },
        BuyerContact = new BuyerContact { Name = "Hanako Yamada", Email = "hanako@buyers.example.invalid" },
    };

    public static ConfirmShipmentRequest Ship(string orderId, params (string Item, int Quantity)[] lines)
    {
        var request = new ConfirmShipmentRequest
        {
            RequestId = RequestId(),
            OrderId = orderId,
            Carrier = "Yamato Transport",
            TrackingNumber = "4470-1234-5678",
        };
        request.Lines.AddRange(lines.Select(l => new ShipmentLine { OrderItemId = l.Item, Quantity = l.Quantity }));
        return request;
    }

    /// <summary>The seller cancels the whole order (R10); on its own initiative and for lack of
    /// stock unless told otherwise.</summary>
    public static CancelOrderRequest Cancel(
        string orderId,
        CancelReason reason = CancelReason.NoInventory,
        CancellationRequester requester = CancellationRequester.Unspecified,
        bool validateOnly = false) => new()
        {
            RequestId = RequestId(),
            OrderId = orderId,
            Reason = reason,
            Requester = requester,
            ValidateOnly = validateOnly,
        };

    /// <summary>The buyer's official cancellation request (R13).</summary>
    public static RequestCancellationRequest BuyerRequest(string orderId, string reason = "I ordered the wrong size.") => new()
    {
        RequestId = RequestId(),
        OrderId = orderId,
        Reason = reason,
    };

    /// <summary>Creates an order through the API and brings it to <paramref name="status"/>.
    /// PARTIALLY_SHIPPED ships one unit of A; SHIPPED ships everything; CANCELED is the
    /// seller's cancellation of the UNSHIPPED order for lack of stock (R10).</summary>
    public static async Task<Order> OrderIn(
        ServerFixture server,
        OrderStatus status,
        string sellerId,
        string buyerId,
        DateTimeOffset? purchasedAt = null,
        DateTimeOffset? latestShipAt = null)
    {
        using var marketplace = server.Marketplace();
        using var seller = server.Seller(sellerId);
        var order = (await marketplace.Orders.CreateOrderAsync(CreateOrder(sellerId, buyerId, purchasedAt: purchasedAt, latestShipAt: latestShipAt))).Order;
        if (status == OrderStatus.Pending)
        {
            return order;
        }

        order = (await marketplace.Orders.AuthorizePaymentAsync(Authorize(order.OrderId))).Order;
        return status switch
        {
            OrderStatus.Unshipped => order,
            OrderStatus.PartiallyShipped => (await seller.Orders.ConfirmShipmentAsync(Ship(order.OrderId, ("A", 1)))).Order,
            OrderStatus.Shipped => (await seller.Orders.ConfirmShipmentAsync(Ship(order.OrderId, ("A", 2), ("B", 1)))).Order,
            OrderStatus.Canceled => (await seller.Orders.CancelOrderAsync(Cancel(order.OrderId))).Order,
            _ => throw new ArgumentOutOfRangeException(nameof(status), status, "not a status an order can be brought to"),
        };
    }

    /// <summary>Puts <paramref name="count"/> orders of one seller straight into the server's
    /// database, built by the domain exactly as the RPCs would build them (one item A x1 at
    /// 1099 JPY), authorized (UNSHIPPED) unless told otherwise, in batches of 1000 per
    /// SaveChanges. For volumes the API would take too long to create, and for histories
    /// in the past the server's clock cannot make: with <paramref name="canceledAt"/> each
    /// order is authorized at its purchase and canceled by the seller at that time (reason
    /// NoInventory: counted, R10). Their events are not written: no test of seeded orders
    /// reads them. Returns the order ids in creation order.</summary>
    public static async Task<List<string>> SeedOrdersAsync(
        ServerFixture server,
        string sellerId,
        int count,
        DateTimeOffset? purchasedAt = null,
        bool authorized = true,
        DateTimeOffset? canceledAt = null)
    {
        if (canceledAt is not null && !authorized)
        {
            throw new ArgumentException("the seller cancels only authorized orders (R2)", nameof(canceledAt));
        }

        const int batchSize = 1000;
        var now = server.Clock.GetUtcNow();
        var purchase = purchasedAt ?? now.AddHours(-1);
        var createdAt = canceledAt is null ? now : purchase; // a history that runs forward
        var ids = new List<string>(count);
        for (var start = 0; start < count; start += batchSize)
        {
            var batch = new List<Domain.Order>();
            for (var i = start; i < Math.Min(count, start + batchSize); i++)
            {
                var order = Domain.Order.Create(new Domain.NewOrder(
                    NewId("250"), sellerId, NewId("B"), "JPY", purchase, purchase.AddDays(2),
                    [new Domain.NewOrderItem("A", "SKU-A", "Tea cup", 1, [new Domain.UnitCharge(Domain.ChargeComponent.Principal, 1099)])]),
                    createdAt);
                if (authorized)
                {
                    order.AuthorizePayment(
                        new Domain.ShippingAddress("Hanako Yamada", "1-2-3 Jingumae", null, null, "Shibuya-ku", "Tokyo", "150-0001", "JP", null),
                        new Domain.BuyerContact("Hanako Yamada", "hanako@buyers.example.invalid", null),
                        createdAt);
                }

                if (canceledAt is { } at)
                {
                    order.CancelBySeller(Domain.CancelReason.NoInventory, Domain.CancellationRequester.Seller, null, at);
                }

                order.ClearPendingEvents();
                batch.Add(order);
            }

            await server.QueryDatabaseAsync(async db =>
            {
                db.Orders.AddRange(batch);
                return await db.SaveChangesAsync();
            });
            ids.AddRange(batch.Select(o => o.Id));
        }

        return ids;
    }
}

/// <summary>Asserts on the status and error details of a failed call.</summary>
public static class Expect
{
    public static async Task<Grpc.Core.RpcException> Failure(Grpc.Core.StatusCode code, string reason, Func<Task> call)
    {
        var exception = await Assert.ThrowsAsync<Grpc.Core.RpcException>(call);
        Assert.True(code == exception.StatusCode, $"Expected {code}, got {exception.StatusCode}: {exception.Status.Detail}");
        Assert.Equal(reason, exception.Reason());
        var info = exception.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>()!;
        Assert.Equal("orderservice", info.Domain);
        return exception;
    }

    public static async Task<Grpc.Core.RpcException> InvalidArgument(string field, Func<Task> call)
    {
        var exception = await Assert.ThrowsAsync<Grpc.Core.RpcException>(call);
        Assert.True(Grpc.Core.StatusCode.InvalidArgument == exception.StatusCode, $"Expected InvalidArgument, got {exception.StatusCode}: {exception.Status.Detail}");
        Assert.Contains(field, exception.InvalidFields());
        return exception;
    }

    /// <summary>The ErrorInfo of a failed call (every error carries one).</summary>
    public static Google.Rpc.ErrorInfo ErrorInfo(Grpc.Core.RpcException exception) =>
        exception.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()
        ?? throw new Xunit.Sdk.XunitException($"The error carries no ErrorInfo: {exception.Status}");

    /// <summary>Asserts that a google.rpc.Status carried in a response (a feed line's result)
    /// is a refusal with <paramref name="code"/> and ErrorInfo <paramref name="reason"/>, and
    /// returns its ErrorInfo.</summary>
    public static Google.Rpc.ErrorInfo Refused(Google.Rpc.Status? status, Grpc.Core.StatusCode code, string reason)
    {
        Assert.NotNull(status);
        Assert.True((int)code == status.Code, $"Expected {code}, got {(Grpc.Core.StatusCode)status.Code}: {status.Message}");
        var info = status.GetDetail<Google.Rpc.ErrorInfo>();
        Assert.NotNull(info);
        Assert.Equal(reason, info.Reason);
        Assert.Equal("orderservice", info.Domain);
        return info;
    }
}
