using OrderService.Contracts.V1;

namespace OrderService.Server.Access;

/// <summary>Which roles may call which method: the one place access is decided. A method
/// of the product's services with no entry is refused to everyone (fail closed); a test
/// checks that every method has one.</summary>
public static class AccessPolicy
{
    private static readonly CallerRole[] Marketplace = [CallerRole.Marketplace];
    private static readonly CallerRole[] Seller = [CallerRole.Seller];
    private static readonly CallerRole[] Buyer = [CallerRole.Buyer];
    private static readonly CallerRole[] Anyone = [CallerRole.Marketplace, CallerRole.Seller, CallerRole.Buyer];
    private static readonly CallerRole[] SellerOrBuyer = [CallerRole.Seller, CallerRole.Buyer];

    /// <summary>The services this policy covers; methods of other services (health,
    /// reflection) need no token.</summary>
    public static readonly IReadOnlyList<Google.Protobuf.Reflection.ServiceDescriptor> Services =
    [
        Contracts.V1.OrderService.Descriptor,
        RefundService.Descriptor,
        NotificationService.Descriptor,
    ];

    private static readonly Dictionary<string, CallerRole[]> RolesByMethod = new()
    {
        ["/orderservice.v1.OrderService/CreateOrder"] = Marketplace,
        ["/orderservice.v1.OrderService/AuthorizePayment"] = Marketplace,
        ["/orderservice.v1.OrderService/GetOrder"] = Anyone,
        ["/orderservice.v1.OrderService/ListOrders"] = Anyone,
        ["/orderservice.v1.OrderService/ConfirmShipment"] = Seller,
        ["/orderservice.v1.OrderService/CancelOrder"] = Seller,
        ["/orderservice.v1.OrderService/SubmitCancellationFeed"] = Seller,
        ["/orderservice.v1.OrderService/RequestCancellation"] = Buyer,
        ["/orderservice.v1.OrderService/RequestAddressChange"] = Buyer,
        ["/orderservice.v1.OrderService/RequestCarrierReturn"] = Seller,
        ["/orderservice.v1.OrderService/GetCancellationMetrics"] = Seller,
        ["/orderservice.v1.OrderService/GetReplyTemplate"] = Seller,
        ["/orderservice.v1.OrderService/StreamOrderReport"] = Seller,
        ["/orderservice.v1.RefundService/GetRefundableAmounts"] = Seller,
        ["/orderservice.v1.RefundService/RefundOrder"] = Seller,
        ["/orderservice.v1.RefundService/CancelItems"] = Seller,
        ["/orderservice.v1.RefundService/SubmitAdjustmentFeed"] = Seller,
        ["/orderservice.v1.RefundService/RecordReturn"] = Seller,
        ["/orderservice.v1.RefundService/ListRefunds"] = Anyone,
        ["/orderservice.v1.NotificationService/Subscribe"] = SellerOrBuyer,
    };

    /// <summary>The gRPC method path ("/pkg.Service/Method") of every covered method.</summary>
    public static IEnumerable<string> CoveredMethods =>
        Services.SelectMany(service => service.Methods.Select(method => $"/{service.FullName}/{method.Name}"));

    public static bool Covers(string method) =>
        Services.Any(service => method.StartsWith($"/{service.FullName}/", StringComparison.Ordinal));

    /// <summary>The roles allowed to call the method; empty when none is.</summary>
    public static IReadOnlyList<CallerRole> RolesFor(string method) =>
        RolesByMethod.TryGetValue(method, out var roles) ? roles : [];
}
