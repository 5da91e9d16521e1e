using Google.Protobuf.WellKnownTypes;
using Google.Type;
using OrderService.Contracts.V1;

namespace OrderService.Client.Tests;

/// <summary>Orders as the marketplace hands them over, with ids of this test run (the
/// server process is shared with other runs and languages).</summary>
public sealed class Orders
{
    public string Run { get; } = Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();

    public string SellerId => $"SELLER-CS-{Run}";

    public string BuyerId => $"BUYER-CS-{Run}";

    public string OrderId(int n) => $"CS-{Run}-{n}";

    public CreateOrderRequest Create(string orderId) => new()
    {
        OrderId = orderId,
        SellerId = SellerId,
        BuyerId = BuyerId,
        CurrencyCode = "JPY",
        PurchaseTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(-1)),
        LatestShipTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(2)),
        Items =
        {
            new NewOrderItem
            {
                OrderItemId = "A", Sku = "SKU-A", Title = "Tea cup", Quantity = 2,
                UnitCharges = { new ChargeAmount { Component = ChargeComponent.Principal, Amount = new Money { CurrencyCode = "JPY", Units = 1099 } } },
            },
        },
    };

    public static AuthorizePaymentRequest Authorize(string orderId) => new()
    {
        OrderId = orderId,
        ShippingAddress = new ShippingAddress
        {
            RecipientName = "Hanako Yamada", AddressLines = { "1-2-3 Chiyoda" }, Locality = "Chiyoda-ku",
            AdministrativeArea = "Tokyo", PostalCode = "100-0001", RegionCode = "JP",
        },
        BuyerContact = new BuyerContact { Name = "Hanako Yamada", Email = "hanako@example.jp" },
    };
}
