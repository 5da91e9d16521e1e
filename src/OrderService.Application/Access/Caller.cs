namespace OrderService.Application.Access;

/// <summary>The three kinds of callers (the token's "role" claim).</summary>
public enum CallerRole
{
    /// <summary>Internal marketplace services: order intake, payment verification.</summary>
    Marketplace,
    /// <summary>A merchant, with its seller id: ships, cancels, refunds its own orders.</summary>
    Seller,
    /// <summary>A buyer, with its buyer id: reads its own orders, asks to cancel.</summary>
    Buyer,
}

/// <summary>Who is calling, from the verified bearer token.</summary>
public sealed record Caller(CallerRole Role, string Id)
{
    /// <summary>Scopes idempotency keys: two callers may pick the same request_id.</summary>
    public string Key => $"{Role.ToString().ToLowerInvariant()}:{Id}";

    public string? SellerId => Role == CallerRole.Seller ? Id : null;

    public string? BuyerId => Role == CallerRole.Buyer ? Id : null;
}
