using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OrderService.Server.Access;

namespace OrderService.IntegrationTests.Infrastructure;

/// <summary>Bearer tokens that must not get a caller in: each is a token the server would
/// accept but for one defect (its signature, its times, its issuer or audience, its
/// claims). <see cref="TokenMinter"/> makes only good tokens; these are written here, with
/// the claims it writes (role, sub, seller_id or buyer_id, iss and aud "orderservice").</summary>
public static class ForgedTokens
{
    /// <summary>Who a token claims to be: a role and the claims that go with it.</summary>
    public sealed record Identity(string Role, string Id)
    {
        public static Identity Marketplace(string id) => new("marketplace", id);

        public static Identity Seller(string sellerId) => new("seller", sellerId);

        public static Identity Buyer(string buyerId) => new("buyer", buyerId);

        /// <summary>The claims <see cref="TokenMinter"/> writes for this identity.</summary>
        public Dictionary<string, object> Claims()
        {
            var claims = new Dictionary<string, object> { [TokenClaims.Role] = Role, ["sub"] = Id };
            if (Role == "seller")
            {
                claims[TokenClaims.SellerId] = Id;
            }
            else if (Role == "buyer")
            {
                claims[TokenClaims.BuyerId] = Id;
            }

            return claims;
        }
    }

    /// <summary>The 5 s the server allows for the issuer's clock (README, "Access"), and a
    /// margin well beyond it for the tokens that must fall outside it.</summary>
    public static readonly TimeSpan BeyondSkew = TimeSpan.FromSeconds(60);

    /// <summary>A token signed with <paramref name="key"/> (HS256). Nothing is filled in:
    /// every time and name is the one given.</summary>
    public static string Signed(
        TokenSettings key,
        IDictionary<string, object> claims,
        string issuer,
        string audience,
        DateTimeOffset notBefore,
        DateTimeOffset expires,
        DateTimeOffset issuedAt)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            NotBefore = notBefore.UtcDateTime,
            IssuedAt = issuedAt.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(key.Key(), SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>A good token of the test server's key for <paramref name="claims"/>, valid
    /// from a minute ago for an hour: the base every forgery changes one thing of.</summary>
    public static string Good(IDictionary<string, object> claims)
    {
        var now = DateTimeOffset.UtcNow;
        return Signed(ServerFixture.Tokens, claims, ServerFixture.Tokens.Issuer, ServerFixture.Tokens.Audience,
            now.AddMinutes(-1), now.AddHours(1), now);
    }

    /// <summary>The same claims, valid times and names, signed with a key of its own.</summary>
    public static string WrongKey(Identity who)
    {
        var now = DateTimeOffset.UtcNow;
        var otherKey = new TokenSettings { SigningKey = "not-the-servers-key-but-long-enough-0123456789" };
        return Signed(otherKey, who.Claims(), ServerFixture.Tokens.Issuer, ServerFixture.Tokens.Audience,
            now.AddMinutes(-1), now.AddHours(1), now);
    }

    /// <summary>Expired <see cref="BeyondSkew"/> ago.</summary>
    public static string Expired(Identity who)
    {
        var now = DateTimeOffset.UtcNow;
        return Signed(ServerFixture.Tokens, who.Claims(), ServerFixture.Tokens.Issuer, ServerFixture.Tokens.Audience,
            now.AddHours(-1), now - BeyondSkew, now.AddHours(-1));
    }

    /// <summary>Issued now but not valid before <see cref="BeyondSkew"/> from now.</summary>
    public static string NotYetValid(Identity who)
    {
        var now = DateTimeOffset.UtcNow;
        return Signed(ServerFixture.Tokens, who.Claims(), ServerFixture.Tokens.Issuer, ServerFixture.Tokens.Audience,
            now + BeyondSkew, now.AddHours(1), now);
    }

    public static string WrongIssuer(Identity who)
    {
        var now = DateTimeOffset.UtcNow;
        return Signed(ServerFixture.Tokens, who.Claims(), "another-issuer", ServerFixture.Tokens.Audience,
            now.AddMinutes(-1), now.AddHours(1), now);
    }

    public static string WrongAudience(Identity who)
    {
        var now = DateTimeOffset.UtcNow;
        return Signed(ServerFixture.Tokens, who.Claims(), ServerFixture.Tokens.Issuer, "another-service",
            now.AddMinutes(-1), now.AddHours(1), now);
    }

    /// <summary>The claims of <paramref name="who"/> with header {"alg":"none"} and an empty
    /// signature: what a server that trusts the token's own header would accept.</summary>
    public static string AlgNone(Identity who)
    {
        var now = DateTimeOffset.UtcNow;
        var payload = new Dictionary<string, object>(who.Claims())
        {
            ["iss"] = ServerFixture.Tokens.Issuer,
            ["aud"] = ServerFixture.Tokens.Audience,
            ["nbf"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
        };
        return $"{Part(new Dictionary<string, object> { ["alg"] = "none", ["typ"] = "JWT" })}.{Part(payload)}.";
    }

    /// <summary>A good token whose role is none of the three, carrying every id claim of
    /// <paramref name="who"/> in case the server looked at them anyway.</summary>
    public static string UnknownRole(Identity who)
    {
        var claims = who.Claims();
        claims[TokenClaims.Role] = "admin";
        claims[TokenClaims.SellerId] = who.Id;
        claims[TokenClaims.BuyerId] = who.Id;
        return Good(claims);
    }

    /// <summary>A good seller token without its seller_id claim; sub still names the
    /// seller, in case the server fell back to it.</summary>
    public static string SellerWithoutSellerId(string sellerId) =>
        Good(new Dictionary<string, object> { [TokenClaims.Role] = "seller", ["sub"] = sellerId });

    private static string Part(Dictionary<string, object> json) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(json)));
}
