using System.Diagnostics.Metrics;
using OrderService.Domain;
using OrderService.Persistence;

namespace OrderService.Application.Telemetry;

/// <summary>The service's business metrics: the one Meter ("OrderService"), every instrument
/// and every tag name, in one place (docs/observability.md lists them). Plain
/// System.Diagnostics.Metrics: the host decides whether anything listens (OpenTelemetry,
/// dotnet-counters) and where it goes.
///
/// Tags are low-cardinality only, and never personal: enum values as the contract spells
/// them, currencies, outcomes. Never an order, seller, buyer or request id, never free
/// text (notes, reasons, addresses).
///
/// Cancellations and refunds are counted from the events of committed transactions
/// (<see cref="ICommittedEventsObserver"/>), so every path counts once and only what was
/// saved: the RPCs, the feeds' chunks, the background passes; never a validate_only run, a
/// refusal, a rolled-back chunk or a replayed answer.</summary>
public sealed class OrderServiceMetrics : ICommittedEventsObserver
{
    public const string MeterName = "OrderService";

    /// <summary>Cancellation acts committed (whole orders and the unshipped rest of
    /// partially shipped ones). Tags: reason, requester, executor, counts_against_seller,
    /// whole_order.</summary>
    public const string CancellationsName = "orderservice.cancellations";

    /// <summary>The automatic ones among them (R4 payment expiry, R5 missed ship date).
    /// Tag: rule.</summary>
    public const string AutomaticCancellationsName = "orderservice.automatic_cancellations";

    /// <summary>Refunds committed (RefundOrder, RecordReturn, adjustment feed lines). Tags:
    /// currency, kind, reason.</summary>
    public const string RefundsName = "orderservice.refunds";

    /// <summary>What those refunds gave back (amounts minus deductions), in minor units of
    /// the currency, exactly (a long counter, never a double). Tags: currency, kind.</summary>
    public const string RefundedAmountName = "orderservice.refunded_amount";

    /// <summary>Notification streams open in this instance. Tag: audience.</summary>
    public const string ActiveSubscribersName = "orderservice.notification.subscribers";

    /// <summary>From an event's commit to its notice being handed to the subscriber's
    /// stream, in milliseconds. Tag: delivery.</summary>
    public const string NoticeLagName = "orderservice.notification.lag";

    /// <summary>Feed lines applied (committed), by outcome. Tags: feed, outcome.</summary>
    public const string FeedLinesName = "orderservice.feed.lines";

    /// <summary>Tag names.</summary>
    public static class Tags
    {
        public const string Reason = "reason";
        public const string Requester = "requester";
        public const string Executor = "executor";
        public const string CountsAgainstSeller = "counts_against_seller";
        public const string WholeOrder = "whole_order";
        public const string Rule = "rule";
        public const string Currency = "currency";
        public const string Kind = "kind";
        public const string Audience = "audience";
        public const string Delivery = "delivery";
        public const string Feed = "feed";
        public const string Outcome = "outcome";
    }

    // One Meter for the process, as a library's meter is: OpenTelemetry identifies an
    // instrument by its meter's name and its own, so a second Meter "OrderService" (one per
    // host, from each host's IMeterFactory) made duplicates that a host's exporter dropped
    // when several hosts share a process, as the tests' servers do.
    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> _cancellations = Meter.CreateCounter<long>(CancellationsName, "{cancellation}",
        "Cancellation acts committed, by reason and attribution (R18).");

    private static readonly Counter<long> _automaticCancellations = Meter.CreateCounter<long>(AutomaticCancellationsName, "{cancellation}",
        "Automatic cancellations committed: R4 (payment not authorized in 21 days), R5 (ship date missed by 7 days).");

    private static readonly Counter<long> _refunds = Meter.CreateCounter<long>(RefundsName, "{refund}",
        "Refunds committed, by currency, kind and adjustment reason.");

    private static readonly Counter<long> _refundedAmount = Meter.CreateCounter<long>(RefundedAmountName, "{minor_unit}",
        "Money refunded to buyers (amounts minus deductions), in minor units of the tagged currency.");

    private static readonly UpDownCounter<long> _activeSubscribers = Meter.CreateUpDownCounter<long>(ActiveSubscribersName, "{stream}",
        "Notification streams open in this process.");

    private static readonly Histogram<double> _noticeLag = Meter.CreateHistogram<double>(NoticeLagName, "ms",
        "Time from an event's commit to its notice being written to a subscriber's stream.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000] });

    private static readonly Counter<long> _feedLines = Meter.CreateCounter<long>(FeedLinesName, "{line}",
        "Feed lines applied and committed, accepted or refused.");

    /// <summary>Counts the cancellations and refunds among committed events.</summary>
    public void Committed(Order order, OrderEvent orderEvent)
    {
        if (orderEvent.Cancellation is { } cancellation
            && orderEvent.Type is OrderEventType.OrderCanceled or OrderEventType.ItemsCanceled)
        {
            _cancellations.Add(1,
                new(Tags.Reason, OrderStateMachine.ToUpperSnake(cancellation.Reason)),
                new(Tags.Requester, OrderStateMachine.ToUpperSnake(cancellation.Requester)),
                new(Tags.Executor, OrderStateMachine.ToUpperSnake(cancellation.Executor)),
                new(Tags.CountsAgainstSeller, Flag(cancellation.CountsAgainstSellerRate)),
                new(Tags.WholeOrder, Flag(orderEvent.Type == OrderEventType.OrderCanceled)));
            if (RuleOf(cancellation.Reason) is { } rule)
            {
                _automaticCancellations.Add(1, new KeyValuePair<string, object?>(Tags.Rule, rule));
            }
        }

        if (orderEvent.Refund is { } refund)
        {
            var currency = new KeyValuePair<string, object?>(Tags.Currency, refund.CurrencyCode);
            var kind = new KeyValuePair<string, object?>(Tags.Kind, OrderStateMachine.ToUpperSnake(refund.Kind));
            _refunds.Add(1, currency, kind, new(Tags.Reason, OrderStateMachine.ToUpperSnake(refund.Reason)));
            _refundedAmount.Add(refund.Total.MinorUnits, currency, kind);
        }
    }

    /// <summary>A notification stream opened (+1) or closed (-1).</summary>
    public void SubscriberOpened(NotificationAudience audience) =>
        _activeSubscribers.Add(1, new KeyValuePair<string, object?>(Tags.Audience, AudienceTag(audience)));

    public void SubscriberClosed(NotificationAudience audience) =>
        _activeSubscribers.Add(-1, new KeyValuePair<string, object?>(Tags.Audience, AudienceTag(audience)));

    /// <summary>A notice was written to a stream <paramref name="lag"/> after its event
    /// committed. <paramref name="live"/>: the event committed after the stream started
    /// (a replay of older events measures the subscriber's absence, not the service).</summary>
    public void NoticeSent(TimeSpan lag, bool live) =>
        _noticeLag.Record(Math.Max(0, lag.TotalMilliseconds), new KeyValuePair<string, object?>(Tags.Delivery, live ? "live" : "replay"));

    /// <summary>Lines of a feed (<paramref name="feed"/>: its method name) that committed,
    /// accepted and refused.</summary>
    public void FeedLines(string feed, int accepted, int refused)
    {
        var feedTag = new KeyValuePair<string, object?>(Tags.Feed, feed);
        if (accepted > 0)
        {
            _feedLines.Add(accepted, feedTag, new(Tags.Outcome, "accepted"));
        }

        if (refused > 0)
        {
            _feedLines.Add(refused, feedTag, new(Tags.Outcome, "refused"));
        }
    }

    /// <summary>"true" or "false": the same label whichever exporter renders it.</summary>
    private static string Flag(bool value) => value ? "true" : "false";

    private static string AudienceTag(NotificationAudience audience) => audience.ToString().ToLowerInvariant();

    /// <summary>The rule of an automatic cancellation, null for any other.</summary>
    private static string? RuleOf(CancelReason reason) => reason switch
    {
        CancelReason.PaymentNotAuthorized => "R4",
        CancelReason.ShipDateMissed => "R5",
        _ => null,
    };
}
