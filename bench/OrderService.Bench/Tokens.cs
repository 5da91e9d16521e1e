using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Grpc.Core;

namespace OrderService.Bench;

/// <summary>Bearer tokens the server accepts: HS256 JWTs with the claims of
/// src/OrderService.Server/Access/TokenClaims.cs (role, sub, seller_id / buyer_id), signed with
/// the key the bench gives the server. Minted here rather than through the server's
/// TokenMinter so that the bench does not load the server's assembly.</summary>
public sealed class Tokens(string signingKey, string issuer = "orderservice", string audience = "orderservice")
{
    /// <summary>A random key of 48 characters, new for every run.</summary>
    public static string NewSigningKey() => Convert.ToHexString(RandomNumberGenerator.GetBytes(24));

    public string SigningKey { get; } = signingKey;

    public string Mint(string role, string id, TimeSpan lifetime)
    {
        var now = DateTimeOffset.UtcNow;
        var claims = new Dictionary<string, object>
        {
            ["role"] = role,
            ["sub"] = id,
            ["iss"] = issuer,
            ["aud"] = audience,
            ["nbf"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.Add(lifetime).ToUnixTimeSeconds(),
        };
        if (role == "seller")
        {
            claims["seller_id"] = id;
        }
        else if (role == "buyer")
        {
            claims["buyer_id"] = id;
        }

        var header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = "HS256", ["typ"] = "JWT" }));
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = Base64Url(HMACSHA256.HashData(Encoding.UTF8.GetBytes(SigningKey), Encoding.ASCII.GetBytes($"{header}.{payload}")));
        return $"{header}.{payload}.{signature}";
    }

    /// <summary>Call metadata carrying a token for the role and id, valid for a day.</summary>
    public Metadata Headers(string role, string id) =>
        new() { { "authorization", $"Bearer {Mint(role, id, TimeSpan.FromDays(1))}" } };

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
