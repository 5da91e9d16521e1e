namespace OrderService.Domain;

/// <summary>Refunds of shipped units and of returns (R20, R22-R24, R42, R43).</summary>
/// <remarks>The arithmetic, per item and charge component, with <c>unit</c> the unit charge:
/// charged = unit x ordered; the shipped units' share is unit x shipped, the unshipped
/// units' unit x unshipped, the canceled units' unit x canceled; refunded is the sum of the
/// refunds' amounts; refundable now = unit x shipped - refunded. So charged = refunded +
/// refundable + canceled + unshipped share, always, and refunded never exceeds charged
/// (R22). See docs/refunds.md and docs/decisions.md ("Refunds").</remarks>
public sealed partial class Order
{
    private readonly List<Refund> _refunds = [];

    /// <summary>Every refund made (R20, R23).</summary>
    public IReadOnlyList<Refund> Refunds => _refunds;

    /// <summary>Units of the item received back so far (R23), over every return.</summary>
    public int QuantityReturned(string orderItemId) =>
        _refunds.SelectMany(refund => refund.Lines).Where(line => line.OrderItemId == orderItemId).Sum(line => line.QuantityReturned);

    /// <summary>R24: where the money of every item and charge component stands, before any
    /// refund is made: charged, refunded, refundable now (the shipped units' share only),
    /// canceled, and cancelable (the unshipped units' share, which CancelItems gives back,
    /// R21), with the units shipped, unshipped, canceled and returned. Changes nothing.</summary>
    public RefundableAmounts GetRefundableAmounts() =>
        new(CurrencyCode, ItemsInOrder.Select(RefundableOf).ToList());

    /// <summary>R20: refunds everything still refundable, on every item and component. Only
    /// shipped units' money is refundable (R24); unshipped units are canceled instead (R21).
    /// Refused when nothing is left to refund. Event REFUND_ISSUED.</summary>
    public Refund RefundInFull(AdjustmentReason reason, DateTimeOffset now)
    {
        EnsureAdjustmentReason(reason);
        OrderStateMachine.EnsureAllowed(Status, OrderAction.Refund);

        var lines = ItemsInOrder
            .Select(item => new RefundLine(
                item.Id,
                QuantityReturned: 0,
                item.UnitCharges
                    .Select(charge => new ChargeAmount(charge.Component, ComponentOf(item, charge).Refundable))
                    .Where(amount => amount.Amount.MinorUnits > 0)
                    .ToList(),
                Deductions: []))
            .Where(line => line.Amounts.Count > 0)
            .ToList();

        if (lines.Count == 0)
        {
            throw new DomainException(ErrorKind.FailedPrecondition, "NOTHING_TO_REFUND",
                "Everything the shipped units were charged has been refunded already (R22); unshipped units are canceled, not refunded (R21, R24).",
                metadata: new Dictionary<string, string> { ["order_status"] = OrderStateMachine.ToUpperSnake(Status) });
        }

        return Issue(RefundKind.Full, reason, lines, OrderAction.Refund, OrderEventType.RefundIssued, now);
    }

    /// <summary>R20, R22: refunds the amounts the seller states, per item and charge
    /// component, with optional deductions (restocking fee, return fee) per item. Each
    /// amount is at most what that component of that item can still be refunded, which is
    /// only the shipped units' share (R24): asking for unshipped units' money is refused
    /// with the way forward, CancelItems (R21). Amounts are exact minor units of the order's
    /// currency; an item's deductions never exceed its amounts. Event REFUND_ISSUED.</summary>
    public Refund RefundPartially(AdjustmentReason reason, IReadOnlyList<ItemRefund> items, DateTimeOffset now)
    {
        // Argument mistakes, wrong whatever the order's state, first.
        EnsureAdjustmentReason(reason);
        if (items.Count == 0)
        {
            throw DomainException.Invalid("items", "NO_LINES", "items needs at least one line.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var resolved = new List<OrderItem>(items.Count);
        long total = 0;
        long net = 0;
        for (var i = 0; i < items.Count; i++)
        {
            var line = items[i];
            var field = $"items[{i}]";
            if (!seen.Add(line.OrderItemId))
            {
                throw DomainException.Invalid($"{field}.order_item_id", "DUPLICATE_ORDER_ITEM_ID",
                    $"order_item_id '{line.OrderItemId}' appears twice; put all its amounts on one line.");
            }

            var item = _items.FirstOrDefault(candidate => candidate.Id == line.OrderItemId)
                ?? throw DomainException.Invalid($"{field}.order_item_id", "UNKNOWN_ORDER_ITEM",
                    $"The order has no item '{line.OrderItemId}'.");
            resolved.Add(item);

            EnsureAmounts(line.Amounts, $"{field}.amounts", item);
            EnsureDeductions(line.Deductions, $"{field}.deductions");

            var amounts = line.Amounts.Sum(a => a.Amount.MinorUnits);
            var deductions = line.Deductions.Sum(d => d.Amount.MinorUnits);
            if (deductions > amounts)
            {
                throw DomainException.Invalid($"{field}.deductions", "DEDUCTIONS_EXCEED_REFUND",
                    $"The deductions on item '{item.Id}' ({deductions}) exceed what it refunds ({amounts}); a refund never takes money from the buyer.");
            }

            total = checked(total + amounts);
            net = checked(net + amounts - deductions);
        }

        if (total == 0)
        {
            throw DomainException.Invalid("items", "NOTHING_TO_REFUND", "Every amount is zero: a refund must refund something.");
        }

        // Deductions that take all of it would use up the charge and pay the buyer nothing
        // (a return is another matter: RecordReturn records the units that came back).
        if (net == 0)
        {
            throw DomainException.Invalid("items", "NOTHING_TO_REFUND",
                "The deductions take all of the amounts: the buyer would receive nothing, and the charge would be used up.");
        }

        OrderStateMachine.EnsureAllowed(Status, OrderAction.Refund);

        for (var i = 0; i < items.Count; i++)
        {
            for (var j = 0; j < items[i].Amounts.Count; j++)
            {
                EnsureRefundable(resolved[i], items[i].Amounts[j], $"items[{i}].amounts[{j}].amount");
            }
        }

        var lines = items.Select(line => new RefundLine(line.OrderItemId, 0, line.Amounts.ToList(), line.Deductions.ToList())).ToList();
        return Issue(RefundKind.Partial, reason, lines, OrderAction.Refund, OrderEventType.RefundIssued, now);
    }

    /// <summary>R23: records the units actually received back and refunds them, minus the
    /// deductions (the return fee of R42 and R43, a restocking fee). Never more units than
    /// shipped and not yet returned. Each unit returned takes its share of what its item's
    /// component can still be refunded: with k of the n units still out coming back, the
    /// floor of refundable x k / n, and all of what is left when the last units come back, so
    /// that no fraction of a minor unit is ever made up or lost. The deductions apply to the
    /// whole return; they are kept back line by line in order, never more on a line than it
    /// refunds. When a carrier return is in progress (R42, R43) this is its end: the refund
    /// is a carrier return's, reason Undeliverable; otherwise a return's, reason
    /// CustomerReturn. Event RETURN_RECORDED, which carries the refund.</summary>
    public Refund RecordReturn(IReadOnlyList<ItemQuantity> lines, IReadOnlyList<ChargeAmount> deductions, DateTimeOffset now)
    {
        var items = ResolveItems(lines, "lines", "quantity_received");
        EnsureDeductions(deductions, "deductions");
        OrderStateMachine.EnsureAllowed(Status, OrderAction.RecordReturn);

        for (var i = 0; i < lines.Count; i++)
        {
            var returnable = items[i].QuantityShipped - QuantityReturned(items[i].Id);
            if (lines[i].Quantity > returnable)
            {
                throw new DomainException(ErrorKind.FailedPrecondition, "QUANTITY_EXCEEDS_RETURNABLE",
                    $"Item '{items[i].Id}' has {returnable} shipped unit(s) not yet returned; cannot record {lines[i].Quantity} received (R23). Units that never shipped are canceled, not returned (R21).",
                    $"lines[{i}].quantity_received",
                    new Dictionary<string, string>
                    {
                        ["order_item_id"] = items[i].Id,
                        ["quantity_returnable"] = Text(returnable),
                    });
            }
        }

        var amounts = lines
            .Select((line, i) => items[i].UnitCharges
                .Select(charge => new ChargeAmount(charge.Component, new Money(ReturnShare(items[i], charge, line.Quantity), CurrencyCode)))
                .ToList())
            .ToList();

        var refunded = amounts.SelectMany(line => line).Sum(amount => amount.Amount.MinorUnits);
        var kept = deductions.Sum(deduction => deduction.Amount.MinorUnits);
        if (kept > refunded)
        {
            throw new DomainException(ErrorKind.FailedPrecondition, "DEDUCTIONS_EXCEED_REFUND",
                $"The deductions ({kept}) exceed what the units received are refunded ({refunded}); a refund never takes money from the buyer.",
                "deductions",
                new Dictionary<string, string> { ["refund_minor_units"] = Text(refunded) });
        }

        var keptPerLine = AllocateDeductions(deductions, amounts.Select(line => line.Sum(a => a.Amount.MinorUnits)).ToList());
        var refundLines = lines
            .Select((line, i) => new RefundLine(line.OrderItemId, line.Quantity, amounts[i], keptPerLine[i]))
            .ToList();

        var carrierReturn = CarrierReturn is { InProgress: true };
        var refund = Issue(
            carrierReturn ? RefundKind.CarrierReturn : RefundKind.Return,
            carrierReturn ? AdjustmentReason.Undeliverable : AdjustmentReason.CustomerReturn,
            refundLines,
            OrderAction.RecordReturn,
            OrderEventType.ReturnRecorded,
            now);
        if (carrierReturn)
        {
            CarrierReturn = CarrierReturn! with { ReceivedAt = now, RefundId = refund.Id };
        }

        return refund;
    }

    /// <summary>The one way a refund is recorded: within the table, within the charges
    /// (checked again here, so that no path can break R22), one version and one event.</summary>
    private Refund Issue(RefundKind kind, AdjustmentReason reason, List<RefundLine> lines, OrderAction action, OrderEventType eventType, DateTimeOffset now)
    {
        var next = OrderStateMachine.Target(Status, action, Status);
        foreach (var line in lines)
        {
            var item = _items.Single(candidate => candidate.Id == line.OrderItemId);
            foreach (var amount in line.Amounts)
            {
                var charge = item.UnitCharges.Single(c => c.Component == amount.Component);
                if (amount.Amount.MinorUnits < 0 || amount.Amount.MinorUnits > ComponentOf(item, charge).Refundable.MinorUnits)
                {
                    throw new InvalidOperationException($"A refund of {amount} on {item.Id}/{amount.Component} would pass what is refundable (R22).");
                }
            }

            if (line.NetMinorUnits < 0)
            {
                throw new InvalidOperationException($"The deductions on {item.Id} exceed its refund.");
            }
        }

        var refund = new Refund("ref_" + Guid.CreateVersion7(now).ToString("N"), kind, reason, CurrencyCode, now, lines);
        foreach (var line in lines)
        {
            var item = _items.Single(candidate => candidate.Id == line.OrderItemId);
            foreach (var amount in line.Amounts)
            {
                item.UnitCharges.Single(c => c.Component == amount.Component).AddRefunded(amount.Amount.MinorUnits, item.QuantityOrdered);
            }
        }

        Status = next;
        _refunds.Add(refund);
        Changed(new OrderEvent(eventType, now, Refund: refund));
        return refund;
    }

    private ItemRefundable RefundableOf(OrderItem item) => new(
        item.Id,
        item.QuantityOrdered,
        item.QuantityShipped,
        item.QuantityUnshipped,
        item.QuantityCanceled,
        QuantityReturned(item.Id),
        item.UnitCharges.Select(charge => ComponentOf(item, charge)).ToList());

    private ComponentRefundable ComponentOf(OrderItem item, UnitCharge charge)
    {
        var refunded = _refunds
            .SelectMany(refund => refund.Lines)
            .Where(line => line.OrderItemId == item.Id)
            .Sum(line => line.AmountOf(charge.Component));
        return new ComponentRefundable(
            charge.Component,
            Charged: Of(checked(charge.AmountMinor * item.QuantityOrdered)),
            Refunded: Of(refunded),
            Refundable: Of(checked((charge.AmountMinor * item.QuantityShipped) - refunded)),
            Canceled: Of(checked(charge.AmountMinor * item.QuantityCanceled)),
            Cancelable: Of(checked(charge.AmountMinor * item.QuantityUnshipped)));
    }

    private Money Of(long minorUnits) => new(minorUnits, CurrencyCode);

    /// <summary>The share of a component's refundable amount that <paramref name="units"/>
    /// returned units take: the floor of refundable x units / units still out, and the whole
    /// remainder when the last units come back. Without earlier partial refunds this is
    /// exactly the unit charge times the units.</summary>
    private long ReturnShare(OrderItem item, UnitCharge charge, int units)
    {
        var refundable = ComponentOf(item, charge).Refundable.MinorUnits;
        var unitsOut = item.QuantityShipped - QuantityReturned(item.Id);
        return units == unitsOut
            ? refundable
            : (long)((Int128)refundable * units / unitsOut);
    }

    /// <summary>Spreads a return's deductions over its lines in order, each line keeping back
    /// at most what it refunds, so that no line pays the buyer less than nothing. The total
    /// was checked to fit.</summary>
    private static List<List<ChargeAmount>> AllocateDeductions(IReadOnlyList<ChargeAmount> deductions, IReadOnlyList<long> lineRefunds)
    {
        var allocated = lineRefunds.Select(_ => new List<ChargeAmount>()).ToList();
        var room = lineRefunds.ToArray();
        foreach (var deduction in deductions)
        {
            var left = deduction.Amount.MinorUnits;
            for (var i = 0; i < room.Length && left > 0; i++)
            {
                var taken = Math.Min(left, room[i]);
                if (taken > 0)
                {
                    allocated[i].Add(deduction with { Amount = deduction.Amount with { MinorUnits = taken } });
                    room[i] -= taken;
                    left -= taken;
                }
            }
        }

        return allocated;
    }

    private static void EnsureAdjustmentReason(AdjustmentReason reason)
    {
        if (!Enum.IsDefined(reason))
        {
            throw DomainException.Invalid("reason", "REASON_REQUIRED",
                "A refund needs one of the order adjustment feed's reason codes (R22).");
        }
    }

    /// <summary>A refund's amounts: charge components the item was charged, each once, in
    /// the order's currency, never negative.</summary>
    private void EnsureAmounts(IReadOnlyList<ChargeAmount> amounts, string field, OrderItem item)
    {
        var seen = new HashSet<ChargeComponent>();
        for (var j = 0; j < amounts.Count; j++)
        {
            var amount = amounts[j];
            var entry = $"{field}[{j}]";
            EnsureComponentAndAmount(amount, entry);
            if (amount.Component.IsDeduction())
            {
                throw DomainException.Invalid($"{entry}.component", "DEDUCTION_NOT_A_CHARGE",
                    $"{amount.Component} is a deduction, kept back from a refund; it goes in deductions, not amounts.");
            }

            if (!seen.Add(amount.Component))
            {
                throw DomainException.Invalid($"{entry}.component", "DUPLICATE_CHARGE_COMPONENT",
                    $"{amount.Component} appears twice for item '{item.Id}'.");
            }

            if (item.UnitCharges.All(charge => charge.Component != amount.Component))
            {
                throw DomainException.Invalid($"{entry}.component", "COMPONENT_NOT_CHARGED",
                    $"Item '{item.Id}' was not charged any {amount.Component}, so none can be refunded (R22).");
            }
        }
    }

    /// <summary>Deductions: RESTOCKING_FEE or RETURN_SHIPPING, each once, in the order's
    /// currency, never negative.</summary>
    private void EnsureDeductions(IReadOnlyList<ChargeAmount> deductions, string field)
    {
        var seen = new HashSet<ChargeComponent>();
        for (var j = 0; j < deductions.Count; j++)
        {
            var deduction = deductions[j];
            var entry = $"{field}[{j}]";
            EnsureComponentAndAmount(deduction, entry);
            if (!deduction.Component.IsDeduction())
            {
                throw DomainException.Invalid($"{entry}.component", "NOT_A_DEDUCTION",
                    $"{deduction.Component} is a charge component; a deduction is RestockingFee or ReturnShipping.");
            }

            if (!seen.Add(deduction.Component))
            {
                throw DomainException.Invalid($"{entry}.component", "DUPLICATE_CHARGE_COMPONENT",
                    $"{deduction.Component} appears twice in {field}.");
            }
        }
    }

    private void EnsureComponentAndAmount(ChargeAmount amount, string entry)
    {
        if (!Enum.IsDefined(amount.Component))
        {
            throw DomainException.Invalid($"{entry}.component", "COMPONENT_REQUIRED", "component must be a charge component or a deduction.");
        }

        if (amount.Amount.CurrencyCode != CurrencyCode)
        {
            throw DomainException.Invalid($"{entry}.amount.currency_code", "CURRENCY_MISMATCH",
                $"The order is in {CurrencyCode}; every amount must be too (R22).");
        }

        if (amount.Amount.MinorUnits < 0)
        {
            throw DomainException.Invalid($"{entry}.amount", "NEGATIVE_AMOUNT", "An amount cannot be negative.");
        }
    }

    /// <summary>R22, R24: an amount is at most what the component can still be refunded.
    /// When the excess is the unshipped units' money the refusal says to cancel them
    /// instead (R21). Both depend on the order's state (shipments, earlier refunds), hence
    /// FAILED_PRECONDITION, with the field at fault.</summary>
    private void EnsureRefundable(OrderItem item, ChargeAmount amount, string field)
    {
        var charge = item.UnitCharges.Single(c => c.Component == amount.Component);
        var state = ComponentOf(item, charge);
        var asked = amount.Amount.MinorUnits;
        if (asked <= state.Refundable.MinorUnits)
        {
            return;
        }

        var metadata = new Dictionary<string, string>
        {
            ["order_item_id"] = item.Id,
            ["component"] = OrderStateMachine.ToUpperSnake(amount.Component),
            ["refundable_minor_units"] = Text(state.Refundable.MinorUnits),
            ["refunded_minor_units"] = Text(state.Refunded.MinorUnits),
            ["charged_minor_units"] = Text(state.Charged.MinorUnits),
        };

        if (asked <= state.Refundable.MinorUnits + state.Cancelable.MinorUnits)
        {
            metadata["quantity_unshipped"] = Text(item.QuantityUnshipped);
            metadata["use_instead"] = "orderservice.v1.RefundService/CancelItems";
            throw new DomainException(ErrorKind.FailedPrecondition, "UNSHIPPED_UNITS_NOT_REFUNDABLE",
                $"Item '{item.Id}' can be refunded at most {state.Refundable.MinorUnits} for {amount.Component} now: only shipped units are refunded (R24). The rest belongs to its {item.QuantityUnshipped} unshipped unit(s): cancel them with CancelItems, which gives back exactly what they were charged (R21).",
                field, metadata);
        }

        throw new DomainException(ErrorKind.FailedPrecondition, "AMOUNT_EXCEEDS_REFUNDABLE",
            $"Item '{item.Id}' can be refunded at most {state.Refundable.MinorUnits} for {amount.Component} (charged {state.Charged.MinorUnits}, refunded {state.Refunded.MinorUnits}); the total refunded never exceeds the charge (R22).",
            field, metadata);
    }
}
