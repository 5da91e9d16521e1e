namespace OrderService.Domain.Tests;

public sealed class MoneyTests
{
    [Fact]
    public void Amounts_add_and_multiply_exactly_in_minor_units()
    {
        var unit = new Money(1099, "JPY");

        Assert.Equal(new Money(3297, "JPY"), unit.Times(3));
        Assert.Equal(new Money(1399, "JPY"), unit + new Money(300, "JPY"));
        Assert.Equal(new Money(799, "JPY"), unit - new Money(300, "JPY"));
    }

    [Fact]
    public void Amounts_in_different_currencies_never_combine()
    {
        Assert.Throws<InvalidOperationException>(() => new Money(1, "JPY") + new Money(1, "USD"));
    }

    [Fact]
    public void Overflow_is_an_error_not_a_wrapped_amount()
    {
        Assert.Throws<OverflowException>(() => new Money(long.MaxValue, "JPY").Times(2));
    }

    [Theory]
    [InlineData("JPY", 0)]
    [InlineData("USD", 2)]
    [InlineData("EUR", 2)]
    public void Currencies_know_their_minor_unit(string code, int digits)
    {
        Assert.Equal(digits, Currencies.DigitsOf(code));
    }

    [Theory]
    [InlineData("1099", "JPY", 1099)]
    [InlineData("10.99", "USD", 1099)]
    [InlineData("10.5", "USD", 1050)]
    [InlineData("0", "USD", 0)]
    public void R22_amounts_in_major_units_become_exact_minor_units(string amount, string currency, long minor)
    {
        Assert.Equal(new Money(minor, currency), Currencies.ToMinorUnits(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), currency, "amount"));
    }

    [Theory]
    [InlineData("1099.5", "JPY")]   // half a yen
    [InlineData("10.995", "USD")]   // a tenth of a cent
    [InlineData("0.001", "USD")]
    public void R22_an_amount_finer_than_the_minor_unit_is_refused_never_rounded(string amount, string currency)
    {
        var refusal = Assert.Throws<DomainException>(() =>
            Currencies.ToMinorUnits(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), currency, "items[0].amounts[0].amount"));

        Assert.Equal(ErrorKind.InvalidArgument, refusal.Kind);
        Assert.Equal("AMOUNT_FINER_THAN_MINOR_UNIT", refusal.Reason);
        Assert.Equal("items[0].amounts[0].amount", refusal.Field);
    }

    [Fact]
    public void R22_a_negative_amount_or_an_unknown_currency_is_refused()
    {
        Assert.Equal("NEGATIVE_AMOUNT", Assert.Throws<DomainException>(() => Currencies.ToMinorUnits(-1m, "USD", "amount")).Reason);
        var unknown = Assert.Throws<DomainException>(() => Currencies.ToMinorUnits(1m, "XYZ", "amount"));
        Assert.Equal("UNSUPPORTED_CURRENCY", unknown.Reason);
        Assert.Equal("amount.currency_code", unknown.Field);
    }
}
