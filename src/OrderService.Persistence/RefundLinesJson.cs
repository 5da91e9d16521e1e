using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using OrderService.Domain;

namespace OrderService.Persistence;

/// <summary>A refund's lines as one JSON column of <c>order_refunds</c>: a refund is written
/// once and never changed, and its lines (per item: amounts and deductions per component,
/// units returned) are always read with it. What the database enforces about refunds
/// (never more than charged, R22) is on the charges' own columns, not in here.</summary>
internal static class RefundLinesJson
{
    private static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter() },
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    public static readonly ValueConverter<List<RefundLine>, string> Converter = new(
        lines => ToJson(lines),
        json => FromJson(json));

    /// <summary>Lines are immutable records: two lists are equal when their lines are.</summary>
    public static readonly ValueComparer<List<RefundLine>> Comparer = new(
        (left, right) => ToJson(left!) == ToJson(right!),
        lines => ToJson(lines).GetHashCode(StringComparison.Ordinal),
        lines => FromJson(ToJson(lines)));

    private sealed record AmountRow(ChargeComponent Component, long MinorUnits, string CurrencyCode);

    private sealed record LineRow(string OrderItemId, int QuantityReturned, List<AmountRow> Amounts, List<AmountRow> Deductions);

    private static string ToJson(List<RefundLine> lines) =>
        JsonSerializer.Serialize(lines.Select(line => new LineRow(line.OrderItemId, line.QuantityReturned,
            line.Amounts.Select(Row).ToList(), line.Deductions.Select(Row).ToList())).ToList(), Json);

    private static List<RefundLine> FromJson(string json) =>
        (JsonSerializer.Deserialize<List<LineRow>>(json, Json) ?? throw new InvalidDataException("Empty refund lines."))
            .Select(row => new RefundLine(row.OrderItemId, row.QuantityReturned,
                row.Amounts.Select(Amount).ToList(), row.Deductions.Select(Amount).ToList()))
            .ToList();

    private static AmountRow Row(ChargeAmount amount) => new(amount.Component, amount.Amount.MinorUnits, amount.Amount.CurrencyCode);

    private static ChargeAmount Amount(AmountRow row) => new(row.Component, new Money(row.MinorUnits, row.CurrencyCode));
}
