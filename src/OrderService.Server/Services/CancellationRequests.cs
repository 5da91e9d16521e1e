using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using OrderService.Application.Cancellations;
using OrderService.Application.Feeds;
using OrderService.Contracts.V1;
using OrderService.Domain;
using OrderService.Server.Errors;

namespace OrderService.Server.Services;

/// <summary>The shape checks of the cancellation requests, and their translation into the
/// domain's terms. Which reasons and requesters a seller may use is the domain's rule.</summary>
internal static class CancellationRequests
{
    private static readonly TimeSpan MinMetricsWindow = TimeSpan.FromHours(1);
    private static readonly TimeSpan MaxMetricsWindow = TimeSpan.FromDays(90);

    /// <summary>One cancellation, checked alike for CancelOrder and each feed line.</summary>
    public static SellerCancellation Cancellation(
        RequestValidator v, string orderId, Contracts.V1.CancelReason reason, Contracts.V1.CancellationRequester requester, string note)
    {
        v.Identifier(orderId, "order_id");
        v.DefinedEnum(reason, "reason");
        v.DefinedEnum(requester, "requester", allowUnspecified: true);
        v.Text(note, "note", 1000, required: false);
        var domainRequester = requester == Contracts.V1.CancellationRequester.Unspecified
            ? Domain.CancellationRequester.Seller
            : (Domain.CancellationRequester)requester;
        return new SellerCancellation(orderId, (Domain.CancelReason)reason, domainRequester, note);
    }

    /// <summary>Each line checked on its own (R10).</summary>
    public static List<FeedLine<SellerCancellation>> FeedLines(IReadOnlyList<CancellationFeedLine> lines) =>
        FeedRequests.Lines(lines, line => line.OrderId,
            (v, line) => Cancellation(v, line.OrderId, line.Reason, line.Requester, line.Note));

    /// <summary>R17's window: a valid google.protobuf.Duration of 1 hour to 90 days; 7 days
    /// when absent.</summary>
    public static TimeSpan MetricsWindow(Duration? window, RequestValidator v)
    {
        if (window is null)
        {
            return CancellationRate.DefaultWindow;
        }

        // Checked before ToTimeSpan, which throws on a Duration that is not normalized.
        if (!IsValidDuration(window))
        {
            v.Add("window", $"not a valid duration: seconds from {Duration.MinSeconds} to {Duration.MaxSeconds}, nanos from -999999999 to 999999999 and not of the opposite sign to seconds");
            return CancellationRate.DefaultWindow;
        }

        var span = window.ToTimeSpan();
        if (span < MinMetricsWindow || span > MaxMetricsWindow)
        {
            v.Add("window", "must be between 1 hour and 90 days");
        }

        return span;
    }

    /// <summary>The reply template's language: required, "ja" or "en" (any case), optionally
    /// with subtags such as a region ("ja-JP"). Checked before the order is read, so an
    /// unsupported language gets the same answer whatever the order id names:
    /// UNSUPPORTED_LANGUAGE when it is the only mistake, one field among the others
    /// otherwise. Quoted only when short: an error never carries a client's megabytes back.</summary>
    public static void Language(string languageCode, RequestValidator v)
    {
        if (string.IsNullOrEmpty(languageCode))
        {
            v.Add("language_code", "required: ja or en");
            return;
        }

        var subtags = languageCode.Split('-');
        var supported = ReplyTemplates.Languages.Contains(subtags[0].ToLowerInvariant())
            && subtags.Skip(1).All(subtag => subtag.Length is >= 1 and <= 8 && subtag.All(char.IsAsciiLetterOrDigit));
        if (supported)
        {
            return;
        }

        var shown = languageCode.Length <= 35 ? $"'{languageCode}' " : "";
        var message = $"language_code {shown}is not supported; supported: {string.Join(", ", ReplyTemplates.Languages)}, optionally with a region such as ja-JP.";
        if (v.IsValid)
        {
            throw DomainException.Invalid("language_code", "UNSUPPORTED_LANGUAGE", message);
        }

        v.Add("language_code", message);
    }

    /// <summary>A google.protobuf.Duration as its definition allows it: seconds within
    /// 10,000 years either way, nanos within a second either way, and the two not of
    /// opposite signs.</summary>
    private static bool IsValidDuration(Duration duration) =>
        duration.Seconds is >= Duration.MinSeconds and <= Duration.MaxSeconds
        && duration.Nanos is > -Duration.NanosecondsPerSecond and < Duration.NanosecondsPerSecond
        && !(duration.Seconds > 0 && duration.Nanos < 0)
        && !(duration.Seconds < 0 && duration.Nanos > 0);
}
