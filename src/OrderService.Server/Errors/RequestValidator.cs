using System.Text.RegularExpressions;
using Google.Protobuf.WellKnownTypes;
using OrderService.Domain;

namespace OrderService.Server.Errors;

/// <summary>Checks the shape of a request's fields (presence, length, format, ranges) and
/// collects every violation, so one INVALID_ARGUMENT names all the bad fields at once.
/// Business rules that depend on the order live in the domain.</summary>
public sealed partial class RequestValidator
{
    public const int MaxIdLength = 64;

    private readonly List<RpcErrors.FieldViolation> _violations = [];

    public bool IsValid => _violations.Count == 0;

    public void Add(string field, string description) => _violations.Add(new RpcErrors.FieldViolation(field, description));

    /// <summary>AIP-155: a UUID the client generates. Returned in canonical form so that
    /// "ABC..." and "abc..." are the same key.</summary>
    public string RequestId(string value, string field = "request_id")
    {
        if (string.IsNullOrEmpty(value))
        {
            Add(field, "required: a UUID that identifies this request, reused only to retry it");
            return "";
        }

        // Guid parsing trims white space around the UUID; a request_id is the UUID alone, as
        // identifiers end where their characters end (issue 12).
        if (!Guid.TryParse(value, out var id) || char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]))
        {
            Add(field, "must be a UUID, such as 3f1c8a8e-4b5e-4a59-9d7e-1f0c2b6a9e10");
            return "";
        }

        return id.ToString("D");
    }

    /// <summary>An identifier: 1-64 letters, digits, '-', '_' or '.'.</summary>
    public void Identifier(string value, string field)
    {
        if (string.IsNullOrEmpty(value))
        {
            Add(field, "required");
        }
        else if (!IsIdentifier(value))
        {
            Add(field, $"must be 1-{MaxIdLength} characters of letters, digits, '-', '_' or '.'");
        }
    }

    /// <summary>Whether <paramref name="value"/> is an identifier: 1-64 letters, digits, '-',
    /// '_' or '.'.</summary>
    public static bool IsIdentifier(string value) =>
        value.Length is > 0 and <= MaxIdLength && IdentifierPattern().IsMatch(value);

    /// <summary>Free text of at most <paramref name="maxLength"/> characters. Never the NUL
    /// character: PostgreSQL refuses it in text where SQLite stores it, so it is refused
    /// here, the same way on every provider, before anything reaches the database.</summary>
    public void Text(string value, string field, int maxLength, bool required = true)
    {
        if (required && string.IsNullOrWhiteSpace(value))
        {
            Add(field, "required");
        }
        else if (value.Length > maxLength)
        {
            Add(field, $"at most {maxLength} characters");
        }
        else if (value.Contains('\0', StringComparison.Ordinal))
        {
            Add(field, "must not contain the NUL character (U+0000)");
        }
    }

    /// <summary>A timestamp, or null when absent (with a violation when it is required).</summary>
    public DateTimeOffset? Time(Timestamp? value, string field, bool required)
    {
        if (value is null)
        {
            if (required)
            {
                Add(field, "required");
            }

            return null;
        }

        // 0001-01-01 to 9999-12-31, as google.protobuf.Timestamp defines its range.
        if (value.Nanos is < 0 or > 999_999_999 || value.Seconds < -62_135_596_800 || value.Seconds > 253_402_300_799)
        {
            Add(field, "not a valid timestamp");
            return null;
        }

        return value.ToDateTimeOffset();
    }

    public void Range(int value, string field, int min, int max)
    {
        if (value < min || value > max)
        {
            Add(field, $"must be between {min} and {max}");
        }
    }

    public void DefinedEnum<TEnum>(TEnum value, string field, bool allowUnspecified = false)
        where TEnum : struct, System.Enum
    {
        var number = Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
        if (number == 0 && !allowUnspecified)
        {
            Add(field, "required");
        }
        else if (number != 0 && !System.Enum.IsDefined(value))
        {
            Add(field, $"unknown value {number}");
        }
    }

    /// <summary>The largest amount the service takes, in minor units (a trillion yen, ten
    /// billion dollars): far above any real charge or refund, and low enough that no sum the
    /// service makes of such amounts (a charge over 10,000 units, 100 items of 6 components,
    /// a thousand refund lines) can overflow, which would answer INTERNAL.</summary>
    public const long MaxMinorUnits = 1_000_000_000_000;

    /// <summary>A google.type.Money amount as minor units of <paramref name="currencyCode"/>:
    /// same currency, not negative, nothing finer than the minor unit (never rounded), at
    /// most <see cref="MaxMinorUnits"/>.</summary>
    public long MinorUnits(Google.Type.Money? money, string currencyCode, string field)
    {
        if (money is null)
        {
            Add(field, "required");
            return 0;
        }

        if (!Currencies.IsSupported(currencyCode))
        {
            // The order's currency_code is at fault, not the amount: it is reported there, by
            // the shape check when malformed, by the domain (UNSUPPORTED_CURRENCY) otherwise.
            // Blaming every amount named the wrong fields (issue 12).
            return 0;
        }

        if (money.CurrencyCode != currencyCode)
        {
            // currencyCode is a supported code here: quoting it never echoes a client's
            // megabytes (they would outgrow the trailers and break the connection).
            Add($"{field}.currency_code", $"must be the order's currency {currencyCode}");
            return 0;
        }

        if (money.Units < 0 || money.Nanos < 0)
        {
            Add(field, "must not be negative");
            return 0;
        }

        if (money.Nanos > 999_999_999)
        {
            Add($"{field}.nanos", "must be below 1,000,000,000");
            return 0;
        }

        var digits = Currencies.DigitsOf(currencyCode);
        var nanosPerMinorUnit = (int)Math.Pow(10, 9 - digits);
        if (money.Nanos % nanosPerMinorUnit != 0)
        {
            Add($"{field}.nanos", $"{currencyCode} has {digits} decimal digit(s); the amount is finer than that");
            return 0;
        }

        var minorPerUnit = (long)Math.Pow(10, digits);
        if (money.Units > MaxMinorUnits / minorPerUnit || (money.Units * minorPerUnit) + (money.Nanos / nanosPerMinorUnit) > MaxMinorUnits)
        {
            Add($"{field}.units", $"too large: at most {MaxMinorUnits / minorPerUnit:N0} {currencyCode}");
            return 0;
        }

        return (money.Units * minorPerUnit) + (money.Nanos / nanosPerMinorUnit);
    }

    /// <summary>A google.type.Money amount in its own currency, as exact minor units: a
    /// supported currency, not negative, nothing finer than the minor unit (never rounded).
    /// Whether it is the order's currency is the domain's to say.</summary>
    public Money Amount(Google.Type.Money? money, string field)
    {
        if (money is null)
        {
            Add(field, "required");
            return default;
        }

        if (!Currencies.IsSupported(money.CurrencyCode))
        {
            Add($"{field}.currency_code", "must be a supported ISO 4217 code such as JPY or USD");
            return default;
        }

        return new Money(MinorUnits(money, money.CurrencyCode, field), money.CurrencyCode);
    }

    /// <summary>A feed's lines: at least one, at most <paramref name="max"/>.</summary>
    public void FeedLineCount(int count, int max, string field = "lines")
    {
        if (count == 0)
        {
            Add(field, "required: at least one line");
        }
        else if (count > max)
        {
            Add(field, $"at most {max} lines; split the feed");
        }
    }

    /// <summary>Throws INVALID_ARGUMENT naming every violation collected.</summary>
    public void ThrowIfInvalid()
    {
        if (_violations.Count > 0)
        {
            throw RpcErrors.InvalidArgument("INVALID_FIELD", _violations);
        }
    }

    // \z, not $: $ also matches before a final line feed, which let "X\n" pass beside "X".
    [GeneratedRegex(@"^[A-Za-z0-9._-]+\z")]
    private static partial Regex IdentifierPattern();
}
