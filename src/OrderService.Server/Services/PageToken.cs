using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OrderService.Server.Errors;

namespace OrderService.Server.Services;

/// <summary>AIP-158 page token for keyset paging over (purchase time desc, order id desc):
/// the last row of the page and a fingerprint of the filters it was made for. Opaque to
/// clients; a token used with other filters, or not of this form, is INVALID_ARGUMENT. It is
/// not signed: it holds nothing a caller could not see, and every page is still filtered
/// by the caller's own visibility.</summary>
public sealed record PageToken(long PurchasedAtTicks, string OrderId, string FilterHash)
{
    public string Encode() => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(this));

    public static PageToken? Decode(string token, string filterHash, RequestValidator validator, string field = "page_token")
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        PageToken? decoded = null;
        try
        {
            decoded = JsonSerializer.Deserialize<PageToken>(Base64Url.DecodeFromChars(token));
        }
        catch (Exception exception) when (exception is FormatException or JsonException)
        {
            // reported below
        }

        // The position's id is an order or refund id, so an identifier: any other is a forged
        // token (a NUL in it reached PostgreSQL as a query parameter, issue 12).
        if (decoded is null || decoded.OrderId is null || !RequestValidator.IsIdentifier(decoded.OrderId)
            || decoded.PurchasedAtTicks < DateTimeOffset.MinValue.UtcTicks || decoded.PurchasedAtTicks > DateTimeOffset.MaxValue.UtcTicks)
        {
            validator.Add(field, $"not a {(field == "page_token" ? "page token" : "cursor")} this service returned");
            return null;
        }

        if (decoded.FilterHash != filterHash)
        {
            validator.Add(field, "was returned for a request with other filters; send the same filters with it, or start again without it");
            return null;
        }

        return decoded;
    }

    /// <summary>A fingerprint of the fields that select rows (everything but paging).</summary>
    public static string FingerprintOf(params object?[] filters) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(filters))))[..16];
}
