namespace OrderService.Domain;

/// <summary>An exact amount of money in a currency's minor units (yen, cents). Never a
/// floating-point number: refund arithmetic must come out to the unit (R22).</summary>
public readonly record struct Money(long MinorUnits, string CurrencyCode)
{
    public static Money Zero(string currencyCode) => new(0, currencyCode);

    public static Money operator +(Money left, Money right)
    {
        EnsureSameCurrency(left, right);
        return new Money(checked(left.MinorUnits + right.MinorUnits), left.CurrencyCode);
    }

    public static Money operator -(Money left, Money right)
    {
        EnsureSameCurrency(left, right);
        return new Money(checked(left.MinorUnits - right.MinorUnits), left.CurrencyCode);
    }

    public Money Times(int quantity) => new(checked(MinorUnits * quantity), CurrencyCode);

    public override string ToString() => $"{MinorUnits} {CurrencyCode} minor units";

    private static void EnsureSameCurrency(Money left, Money right)
    {
        if (left.CurrencyCode != right.CurrencyCode)
        {
            // A programming error, not a client's: amounts are checked against the order's
            // currency when they enter the service.
            throw new InvalidOperationException(
                $"Cannot combine {left.CurrencyCode} with {right.CurrencyCode}.");
        }
    }
}

/// <summary>The currencies the service accepts and how many decimal digits their minor
/// unit has (ISO 4217). An amount finer than the minor unit is refused, never rounded.</summary>
public static class Currencies
{
    private static readonly Dictionary<string, int> MinorUnitDigits = new(StringComparer.Ordinal)
    {
        ["JPY"] = 0, ["KRW"] = 0,
        ["USD"] = 2, ["EUR"] = 2, ["GBP"] = 2, ["CAD"] = 2, ["AUD"] = 2, ["SGD"] = 2,
        ["INR"] = 2, ["MXN"] = 2, ["BRL"] = 2, ["SEK"] = 2, ["PLN"] = 2, ["CNY"] = 2,
        ["AED"] = 2, ["SAR"] = 2, ["TRY"] = 2, ["CHF"] = 2, ["NZD"] = 2, ["HKD"] = 2,
    };

    public static bool IsSupported(string code) => MinorUnitDigits.ContainsKey(code);

    /// <summary>Digits after the decimal point of the currency's minor unit (0 for JPY,
    /// 2 for USD).</summary>
    public static int DigitsOf(string code) =>
        MinorUnitDigits.TryGetValue(code, out var digits)
            ? digits
            : throw new ArgumentException($"Unsupported currency {code}.", nameof(code));

    public static IEnumerable<string> Supported => MinorUnitDigits.Keys;

    /// <summary>An amount in major units (1099 yen, 10.99 dollars) as exact minor units.
    /// An amount finer than the currency's minor unit (half a yen, a tenth of a cent) is
    /// refused on <paramref name="field"/>, never rounded: a refund that was rounded would
    /// differ from what the seller asked for (R22). Negative amounts are refused too.</summary>
    public static Money ToMinorUnits(decimal amount, string currencyCode, string field)
    {
        if (!IsSupported(currencyCode))
        {
            throw DomainException.Invalid($"{field}.currency_code", "UNSUPPORTED_CURRENCY",
                $"Currency '{currencyCode}' is not supported; supported: {string.Join(", ", Supported)}.");
        }

        if (amount < 0)
        {
            throw DomainException.Invalid(field, "NEGATIVE_AMOUNT", "An amount cannot be negative.");
        }

        var digits = DigitsOf(currencyCode);
        var scaled = amount * Pow10(digits);
        if (scaled != decimal.Truncate(scaled))
        {
            throw DomainException.Invalid(field, "AMOUNT_FINER_THAN_MINOR_UNIT",
                $"{amount} {currencyCode} is not a whole number of minor units: {currencyCode} has {digits} decimal digit(s), and amounts are never rounded.");
        }

        if (scaled > long.MaxValue)
        {
            throw DomainException.Invalid(field, "AMOUNT_TOO_LARGE", $"{amount} {currencyCode} is too large.");
        }

        return new Money((long)scaled, currencyCode);
    }

    private static decimal Pow10(int digits)
    {
        var result = 1m;
        for (var i = 0; i < digits; i++)
        {
            result *= 10;
        }

        return result;
    }
}
