namespace OrderService.Domain;

/// <summary>What a refund was asked as. The contract's RefundOrder carries amounts only;
/// the kind says which workflow made the refund, so that a list of refunds can tell a
/// goodwill refund from the refund of a return (R20, R23, R42, R43).</summary>
public enum RefundKind
{
    /// <summary>Everything still refundable on every item (R20).</summary>
    Full = 1,
    /// <summary>Amounts the seller chose, per item and component (R20, R22).</summary>
    Partial = 2,
    /// <summary>Units the seller received back (R23).</summary>
    Return = 3,
    /// <summary>A package the carrier brought back at the seller's request (R42, R43).</summary>
    CarrierReturn = 4,
}

/// <summary>An amount of one charge component, or of one deduction (the contract's
/// <c>ChargeAmount</c>). The amount keeps its currency so that an amount in another
/// currency than the order's is refused rather than reinterpreted (R22).</summary>
public sealed record ChargeAmount(ChargeComponent Component, Money Amount);

/// <summary>What the seller asks to refund on one item (the contract's <c>ItemRefund</c>):
/// an amount per charge component and, optionally, deductions kept back.</summary>
public sealed record ItemRefund(string OrderItemId, IReadOnlyList<ChargeAmount> Amounts, IReadOnlyList<ChargeAmount> Deductions)
{
    public ItemRefund(string orderItemId, params ChargeAmount[] amounts)
        : this(orderItemId, amounts, [])
    {
    }
}

/// <summary>The refund of one item inside a <see cref="Refund"/>: the amounts per charge
/// component (what counts against the charge, R22), the deductions kept back, and, for a
/// return, the units that came back (R23).</summary>
public sealed record RefundLine(
    string OrderItemId,
    int QuantityReturned,
    IReadOnlyList<ChargeAmount> Amounts,
    IReadOnlyList<ChargeAmount> Deductions)
{
    /// <summary>The amount refunded for <paramref name="component"/>, 0 when the line has none.</summary>
    public long AmountOf(ChargeComponent component) =>
        Amounts.Where(a => a.Component == component).Sum(a => a.Amount.MinorUnits);

    /// <summary>What the buyer receives for this item: amounts minus deductions.</summary>
    public long NetMinorUnits => Amounts.Sum(a => a.Amount.MinorUnits) - Deductions.Sum(d => d.Amount.MinorUnits);
}

/// <summary>Money given back to the buyer for shipped units (R20-R24), recorded on the
/// order. Units that never shipped are canceled, not refunded (R21, R24): their money is
/// what <see cref="Order.CancelItems"/> reports, never a refund.</summary>
public sealed class Refund
{
    private readonly List<RefundLine> _lines = [];

    private Refund() { } // for EF Core

    internal Refund(string id, RefundKind kind, AdjustmentReason reason, string currencyCode, DateTimeOffset refundedAt, IEnumerable<RefundLine> lines)
    {
        Id = id;
        Kind = kind;
        Reason = reason;
        CurrencyCode = currencyCode;
        RefundedAt = refundedAt;
        _lines.AddRange(lines);
    }

    /// <summary>Server-assigned ("ref_..."), unique within the order.</summary>
    public string Id { get; private set; } = "";

    public RefundKind Kind { get; private set; }

    /// <summary>One of the order adjustment feed's reason codes (R22).</summary>
    public AdjustmentReason Reason { get; private set; }

    public string CurrencyCode { get; private set; } = "";

    public DateTimeOffset RefundedAt { get; private set; }

    /// <summary>One line per item refunded, in the order the request named them.</summary>
    public IReadOnlyList<RefundLine> Lines => _lines;

    /// <summary>What the buyer receives: every amount minus every deduction (the contract's
    /// <c>Refund.total</c>). Never negative: deductions never exceed the amounts.</summary>
    public Money Total => new(_lines.Sum(line => line.NetMinorUnits), CurrencyCode);
}
