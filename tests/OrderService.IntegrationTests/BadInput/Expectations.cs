namespace OrderService.IntegrationTests.BadInput;

/// <summary>A generated mutation that is valid per the protos: the service must accept it.</summary>
public sealed record AllowRule(string Rpc, string Path, Mutation[] Kinds, string Why)
{
    public override string ToString() => $"allow {Rpc} {Path} {string.Join("/", Kinds)}";
}

/// <summary>A generated mutation the service refuses naming another field than the one
/// changed, because the rule it breaks is stated on that field.</summary>
public sealed record FieldRule(string Rpc, string Path, Mutation Kind, string Field, string Why)
{
    public override string ToString() => $"field {Rpc} {Path} {Kind} -> {Field}";
}

/// <summary>What each generated case must get. By default: INVALID_ARGUMENT naming the field
/// changed (or a field inside it) in a google.rpc.BadRequest, for a feed's line in that line's
/// result; bytes that are not the message: MALFORMED_REQUEST. The exceptions are listed here,
/// each with the proto comment or document that makes it so; the allow-list never weakens a
/// check, it says which inputs are not bad. Every entry must match a generated case: an entry
/// that matches none fails the RPC's test, so the list cannot go stale.</summary>
public static class Expectations
{
    /// <summary>Free text (titles, notes, reasons, addresses, carrier names): the protos give
    /// only a length, and decisions.md ("Hostile input") refuses NUL alone, which PostgreSQL
    /// cannot store. A tab, a line break or another control character is text the service
    /// keeps as it came; the report's flat file quotes them (docs/reports.md).</summary>
    private static readonly Mutation[] AnyTextButNul = [Mutation.ControlCharacters, Mutation.TrailingNewline];

    /// <summary>Optional free text: also empty (unset), or blank, which is text.</summary>
    private static readonly Mutation[] OptionalText = [Mutation.Empty, Mutation.Blank, Mutation.ControlCharacters, Mutation.TrailingNewline];

    /// <summary>An optional filter or time window left out, or set to a value the comment
    /// allows.</summary>
    private static readonly Mutation[] Unset = [Mutation.Missing];

    private const string FreeText = "free text: any character but NUL (decisions.md, Hostile input)";
    private const string OptionalFreeText = "optional free text: any character but NUL, empty allowed";

    public static readonly IReadOnlyList<AllowRule> Allowed =
    [
        // CreateOrder: "The seller's SKU. 1-100 characters", "The listing title. 1-500 characters".
        new("CreateOrder", "items[0].sku", AnyTextButNul, FreeText),
        new("CreateOrder", "items[0].title", AnyTextButNul, FreeText),

        // AuthorizePayment: ShippingAddress and BuyerContact (types.proto). The text fields are
        // free text; administrative_area and the phone numbers are OPTIONAL; "Street lines, one
        // to three" does not ask for distinct lines.
        new("AuthorizePayment", "shipping_address.recipient_name", AnyTextButNul, FreeText),
        new("AuthorizePayment", "shipping_address.address_lines[0]", AnyTextButNul, FreeText),
        new("AuthorizePayment", "shipping_address.address_lines", [Mutation.Duplicated], "two equal street lines: one to three lines, nothing says distinct"),
        new("AuthorizePayment", "shipping_address.locality", AnyTextButNul, FreeText),
        new("AuthorizePayment", "shipping_address.administrative_area", OptionalText, "\"Optional where the country has none\""),
        new("AuthorizePayment", "shipping_address.postal_code", AnyTextButNul, FreeText + "; no format is stated for postal codes"),
        new("AuthorizePayment", "shipping_address.phone_number", OptionalText, OptionalFreeText),
        new("AuthorizePayment", "buyer_contact.name", AnyTextButNul, FreeText),
        new("AuthorizePayment", "buyer_contact.phone_number", OptionalText, OptionalFreeText),

        // ListOrders: every field is OPTIONAL. page_size: "50 when 0, and a size above 1000 is
        // served as 1000". statuses: "Empty: every status", repeats select nothing more.
        // Either time bound may be left out or set as far out as a Timestamp goes.
        new("ListOrders", "page_size", [Mutation.Zero, Mutation.MaxValue], "50 when 0; above 1000 is served as 1000 (AIP-158)"),
        new("ListOrders", "statuses", [Mutation.NoElements, Mutation.Duplicated, Mutation.TooMany], "\"Empty: every status\"; a status named twice is the same filter"),
        new("ListOrders", "purchase_time_start", [Mutation.Missing, Mutation.FarPast], "optional lower bound; year 0001 is a valid Timestamp before every order"),
        new("ListOrders", "purchase_time_end", [Mutation.Missing, Mutation.FarFuture], "optional upper bound; year 9999 is a valid Timestamp after every order"),
        new("ListOrders", "has_buyer_cancellation_request", Unset, "\"When set\": unset does not filter"),

        // ConfirmShipment: carrier and tracking number are "1-100 characters"; ship_time is
        // "Optional (now when unset)".
        new("ConfirmShipment", "carrier", AnyTextButNul, FreeText),
        new("ConfirmShipment", "tracking_number", AnyTextButNul, FreeText),
        new("ConfirmShipment", "ship_time", Unset, "\"Optional (now when unset)\""),

        // CancelOrder: requester "SELLER (the default)": UNSPECIFIED "In a request it means
        // CANCELLATION_REQUESTER_SELLER"; note "Optional, at most 1000 characters".
        new("CancelOrder", "requester", [Mutation.Unspecified], "UNSPECIFIED means SELLER in a request (types.proto)"),
        new("CancelOrder", "note", OptionalText, OptionalFreeText),

        // SubmitCancellationFeed: a line's requester and note as in CancelOrder. The same order
        // twice: the feed is taken, line 1 cancels and line 2 is refused ORDER_CANCELED
        // ("lines for the same order see the earlier lines'" effects, R10).
        new("SubmitCancellationFeed", "lines", [Mutation.Duplicated], "a feed may name an order twice; each line has its own result (R10)"),
        new("SubmitCancellationFeed", "lines[0].requester", [Mutation.Unspecified], "UNSPECIFIED means SELLER in a request (types.proto)"),
        new("SubmitCancellationFeed", "lines[0].note", OptionalText, OptionalFreeText),

        // RequestCancellation, RequestAddressChange: the buyer's reason is "Required, 1-500
        // characters" of free text.
        new("RequestCancellation", "reason", AnyTextButNul, FreeText),
        new("RequestAddressChange", "reason", AnyTextButNul, FreeText),

        // RequestCarrierReturn: "Free text. Optional."
        new("RequestCarrierReturn", "note", OptionalText, OptionalFreeText),

        // GetCancellationMetrics: "Optional: 7 days when unset".
        new("GetCancellationMetrics", "window", Unset, "\"7 days when unset\""),

        // StreamOrderReport: the purchase times are OPTIONAL bounds, as in ListOrders.
        new("StreamOrderReport", "purchase_time_start", [Mutation.Missing, Mutation.FarPast], "optional lower bound; year 0001 is before every order"),
        new("StreamOrderReport", "purchase_time_end", [Mutation.Missing, Mutation.FarFuture], "optional upper bound; year 9999 is after every order"),

        // RefundOrder: items "Empty: a full refund of everything refundable now"; deductions
        // are OPTIONAL.
        new("RefundOrder", "items", [Mutation.NoElements], "no items is a full refund (refund_service.proto)"),
        new("RefundOrder", "items[0].deductions", [Mutation.NoElements], "deductions are OPTIONAL"),

        // CancelItems: requester "as in CancelOrderRequest.requester".
        new("CancelItems", "requester", [Mutation.Unspecified], "UNSPECIFIED means SELLER in a request (types.proto)"),

        // SubmitAdjustmentFeed: a line is "a refund of one order", its items as RefundOrder's
        // (none: the full refund); two lines for one order are two refunds, the second seeing
        // the first (R20).
        new("SubmitAdjustmentFeed", "lines", [Mutation.Duplicated], "two refunds of one order in one feed; each line has its own result (R20)"),
        new("SubmitAdjustmentFeed", "lines[0].items", [Mutation.NoElements], "no items is a full refund, as RefundOrder"),
        new("SubmitAdjustmentFeed", "lines[0].items[0].deductions", [Mutation.NoElements], "deductions are OPTIONAL"),

        // RecordReturn: deductions are "Optional".
        new("RecordReturn", "deductions", [Mutation.NoElements], "deductions are OPTIONAL"),

        // ListRefunds: page_size as ListOrders'; order_id "Only this order's refunds. Optional."
        new("ListRefunds", "page_size", [Mutation.Zero, Mutation.MaxValue], "50 when 0; above 1000 is served as 1000 (AIP-158)"),
        new("ListRefunds", "order_id", [Mutation.Empty], "optional filter: empty lists every refund of the caller"),

        // Subscribe: resume_after "empty to start from now"; types "Empty: every type for the
        // caller's audience"; order_ids "Empty: every order of the caller". A type or an order
        // named twice selects nothing more.
        new("Subscribe", "resume_after", [Mutation.Empty], "\"empty to start from now\""),
        new("Subscribe", "types", [Mutation.NoElements, Mutation.Duplicated, Mutation.TooMany], "\"Empty: every type\"; repeats select nothing more"),
        new("Subscribe", "order_ids", [Mutation.NoElements, Mutation.Duplicated], "\"Empty: every order of the caller\"; repeats select nothing more"),
    ];

    public static readonly IReadOnlyList<FieldRule> NamedElsewhere =
    [
        // "latest_ship_time ... not before purchase_time and at most 365 days after it": a
        // purchase in year 0001 puts the ship date (two days after the real purchase) beyond
        // that, and the rule is stated on latest_ship_time (SHIP_DATE_TOO_FAR).
        new("CreateOrder", "purchase_time", Mutation.FarPast, "latest_ship_time", "SHIP_DATE_TOO_FAR"),

        // "purchase_time_end ... after purchase_time_start": a start in year 9999 is after the
        // end, and the rule is stated on purchase_time_end.
        new("ListOrders", "purchase_time_start", Mutation.FarFuture, "purchase_time_end", "end must be after start"),
        new("StreamOrderReport", "purchase_time_start", Mutation.FarFuture, "purchase_time_end", "end must be after start"),
    ];

    public static IEnumerable<object> RulesOf(string rpc) =>
        Allowed.Where(rule => rule.Rpc == rpc).Cast<object>().Concat(NamedElsewhere.Where(rule => rule.Rpc == rpc));

    /// <summary>What a generated mutation of <paramref name="rpc"/> must get; the rule used, if
    /// any, is added to <paramref name="used"/>.</summary>
    public static Expectation For(CorpusRpc rpc, string path, Mutation kind, ISet<object> used)
    {
        if (kind is Mutation.InvalidUtf8 or Mutation.GarbageBytes or Mutation.TruncatedMessage)
        {
            return new Malformed();
        }

        if (Allowed.FirstOrDefault(rule => rule.Rpc == rpc.Name && rule.Path == path && rule.Kinds.Contains(kind)) is { } allowed)
        {
            used.Add(allowed);
            return new Accepted(allowed.Why);
        }

        // The first line of a feed, or a field of it: answered in the line's result, with the
        // field named as the single-order RPC names it ("" for the line as a whole: any field).
        var inLine = rpc.LinePrefix is { } prefix
            && (path.StartsWith(prefix, StringComparison.Ordinal) || path == prefix.TrimEnd('.'));
        string Relative(string field) => inLine ? field[Math.Min(field.Length, rpc.LinePrefix!.Length)..] : field;
        if (NamedElsewhere.FirstOrDefault(rule => rule.Rpc == rpc.Name && rule.Path == path && rule.Kind == kind) is { } elsewhere)
        {
            used.Add(elsewhere);
            return new Invalid(Relative(elsewhere.Field), InLine: inLine);
        }

        return new Invalid(Relative(path), InLine: inLine);
    }
}
