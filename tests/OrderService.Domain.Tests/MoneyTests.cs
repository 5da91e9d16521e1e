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
}
