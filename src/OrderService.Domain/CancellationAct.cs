namespace OrderService.Domain;

/// <summary>One act of cancellation (R18): the whole order, or the unshipped units of an
/// order that has shipped some (R5, R21). An order keeps every one of them: they are the one
/// record of its cancellations, from which the seller's rate (R17) and
/// <see cref="Order.Cancellation"/> (the act that made the order CANCELED) are derived. The
/// contract calls it <c>Cancellation</c>.</summary>
public sealed class CancellationAct
{
    private readonly List<CancellationLine> _lines = [];

    private CancellationAct() { } // for EF Core

    internal CancellationAct(string id, CancellationAttribution cancellation, bool wholeOrder, IEnumerable<ItemQuantity> lines)
    {
        Id = id;
        Reason = cancellation.Reason;
        Requester = cancellation.Requester;
        Executor = cancellation.Executor;
        CountsAgainstSellerRate = cancellation.CountsAgainstSellerRate;
        CanceledAt = cancellation.CanceledAt;
        Note = cancellation.Note;
        WholeOrder = wholeOrder;
        _lines.AddRange(lines.Select(l => new CancellationLine(l.OrderItemId, l.Quantity)));
    }

    /// <summary>Server-assigned ("can_..."), unique within the order.</summary>
    public string Id { get; private set; } = "";

    public CancelReason Reason { get; private set; }

    /// <summary>Who asked (R18): what R14 and R15 are decided from.</summary>
    public CancellationRequester Requester { get; private set; }

    /// <summary>Who carried it out (R18).</summary>
    public CancellationExecutor Executor { get; private set; }

    /// <summary>Decided once, when the cancellation happens (R14, R15, R17), and never
    /// recomputed: a later change of the rules must not rewrite a seller's history.</summary>
    public bool CountsAgainstSellerRate { get; private set; }

    public DateTimeOffset CanceledAt { get; private set; }

    /// <summary>Free text the seller added, if any.</summary>
    public string? Note { get; private set; }

    /// <summary>True when this act canceled the order as a whole (the order became CANCELED);
    /// false when it canceled the unshipped rest of an order that keeps its shipped units.</summary>
    public bool WholeOrder { get; private set; }

    /// <summary>The units this act canceled, per item.</summary>
    public IReadOnlyList<CancellationLine> Lines => _lines;

    /// <summary>Who asked, who executed, why and when, as decided before the act.</summary>
    public CancellationAttribution Attribution =>
        new(Reason, Requester, Executor, CountsAgainstSellerRate, CanceledAt, Note);
}

/// <summary>Units of one item canceled by one <see cref="CancellationAct"/>.</summary>
public sealed record CancellationLine(string OrderItemId, int Quantity);
