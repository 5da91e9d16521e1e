using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace OrderService.Server.Access;

/// <summary>The claims the service reads from a bearer token.</summary>
public static class TokenClaims
{
    public const string Role = "role";
    public const string SellerId = "seller_id";
    public const string BuyerId = "buyer_id";
}

/// <summary>Token settings (configuration section "Authentication").</summary>
public sealed class TokenSettings
{
    /// <summary>HMAC-SHA256 key, at least 32 characters. Development has one in
    /// appsettings.Development.json; production supplies its own.</summary>
    public string SigningKey { get; set; } = "";

    public string Issuer { get; set; } = "orderservice";

    public string Audience { get; set; } = "orderservice";

    public static TokenSettings From(IConfiguration configuration) =>
        configuration.GetSection("Authentication").Get<TokenSettings>() ?? new TokenSettings();

    public SymmetricSecurityKey Key()
    {
        if (SigningKey.Length < 32)
        {
            throw new InvalidOperationException(
                "Authentication:SigningKey must be set to at least 32 characters (appsettings.Development.json has a development key).");
        }

        return new SymmetricSecurityKey(Encoding.UTF8.GetBytes(SigningKey));
    }
}

/// <summary>Mints tokens signed with the configured key: the README's one-command
/// development token, and the tests' tokens.</summary>
public static class TokenMinter
{
    public static string Mint(TokenSettings settings, string role, string id, TimeSpan lifetime, DateTimeOffset now)
    {
        var claims = new List<Claim> { new(TokenClaims.Role, role), new("sub", id) };
        if (role == "seller")
        {
            claims.Add(new Claim(TokenClaims.SellerId, id));
        }
        else if (role == "buyer")
        {
            claims.Add(new Claim(TokenClaims.BuyerId, id));
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            Subject = new ClaimsIdentity(claims),
            NotBefore = now.UtcDateTime.AddMinutes(-1),
            IssuedAt = now.UtcDateTime,
            Expires = now.Add(lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(settings.Key(), SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    /// <summary><c>mint-token ROLE ID [HOURS]</c>: prints a token to standard output.</summary>
    public static int RunCommand(string[] args, TokenSettings settings)
    {
        var roles = new[] { "marketplace", "seller", "buyer" };
        if (args.Length is < 2 or > 3 || !roles.Contains(args[0]) || (args.Length == 3 && !int.TryParse(args[2], out _)))
        {
            Console.Error.WriteLine("usage: mint-token marketplace|seller|buyer ID [HOURS]   e.g. mint-token seller SELLER-1");
            return 2;
        }

        var hours = args.Length == 3 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 12;
        Console.WriteLine(Mint(settings, args[0], args[1], TimeSpan.FromHours(hours), DateTimeOffset.UtcNow));
        return 0;
    }
}
