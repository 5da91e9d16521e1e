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

    public static Google.Type.Money Yen(long amount) => new() { CurrencyCode = "JPY", Units = amount };

    /// <summary>Item A x2 (1099 + 300 shipping per unit), item B x1 (4500), JPY.</summary>
    public static CreateOrderRequest CreateOrder(string sellerId, string buyerId, string? orderId = null, DateTimeOffset? purchasedAt = null)
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
            LatestShipTime = Timestamp.FromDateTimeOffset(purchase.AddDays(2)),
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

    /// <summary>Creates an order through the API and brings it to <paramref name="status"/>.</summary>
    public static async Task<Order> OrderIn(ServerFixture server, OrderStatus status, string sellerId, string buyerId)
    {
        using var marketplace = server.Marketplace();
        using var seller = server.Seller(sellerId);
        var order = (await marketplace.Orders.CreateOrderAsync(CreateOrder(sellerId, buyerId))).Order;
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
            _ => throw new ArgumentOutOfRangeException(nameof(status), status, "not reachable through the implemented RPCs yet"),
        };
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
}
