using System.Security.Cryptography;
using Google.Protobuf;
using System.Text;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using OrderService.Contracts.V1;
using OrderService.Domain;
using OrderService.Server.Access;
using OrderService.Server.Cancellations;
using OrderService.Server.Errors;
using Api = OrderService.Contracts.V1;
using Domain = OrderService.Domain;

namespace OrderService.Server.Services;

/// <summary>The cancellation workflows of OrderService (R2, R4, R5, R10-R18, T1-T5).</summary>
public sealed partial class OrderGrpcService
{
    /// <summary>Feed lines per transaction. Fixed: a retried feed replays chunk by chunk,
    /// so the chunks must fall the same way every time.</summary>
    private const int FeedChunkSize = 500;
    private const int MaxFeedLines = 20_000;
    private static readonly TimeSpan MinMetricsWindow = TimeSpan.FromHours(1);
    private static readonly TimeSpan MaxMetricsWindow = TimeSpan.FromDays(90);

    public override async Task<CancelOrderResponse> CancelOrder(CancelOrderRequest request, ServerCallContext context)
    {
        var caller = AccessInterceptor.CallerOf(context);
        var v = new RequestValidator();
        var requestId = v.RequestId(request.RequestId);
        ValidateCancellation(v, request.OrderId, request.Reason, request.Requester, request.Note);
        v.ThrowIfInvalid();
        var reason = (Domain.CancelReason)request.Reason;
        var requester = RequesterOf(request.Requester);

        if (request.ValidateOnly)
        {
            // Nothing is written, so nothing is stored under the request_id either: the
            // real request may follow with the same id.
            var order = await store.FindVisibleAsync(caller, request.OrderId, context.CancellationToken);
            var wouldRecord = order.PreviewSellerCancellation(reason, requester, request.Note, store.Now);
            var wouldCancel = order.Items
                .Where(item => item.QuantityUnshipped > 0)
                .Select(item => new ItemQuantity(item.Id, item.QuantityUnshipped));
            var preview = ProtoMapper.ToProto(wouldRecord, wholeOrder: order.Items.All(item => item.QuantityShipped == 0), wouldCancel);
            return await CancelResponseAsync(order, wouldRecord, preview, CancellationMetrics.OrderFact.Of(order), context.CancellationToken);
        }

        return await store.MutateAsync(caller, context.Method, requestId, request, async cancellationToken =>
        {
            var order = await store.FindVisibleAsync(caller, request.OrderId, cancellationToken);
            var before = CancellationMetrics.OrderFact.Of(order);
            var cancellation = order.CancelBySeller(reason, requester, request.Note, store.Now);
            return await CancelResponseAsync(order, cancellation.Attribution, ProtoMapper.ToProto(order.Cancellations[^1]), before, cancellationToken);
        }, context.CancellationToken);
    }

    public override Task<RequestCancellationResponse> RequestCancellation(RequestCancellationRequest request, ServerCallContext context)
    {
        var caller = AccessInterceptor.CallerOf(context);
        var v = new RequestValidator();
        var requestId = v.RequestId(request.RequestId);
        v.Identifier(request.OrderId, "order_id");
        v.Text(request.Reason, "reason", 500);
        v.ThrowIfInvalid();

        return store.MutateAsync(caller, context.Method, requestId, request, async cancellationToken =>
        {
            var order = await store.FindVisibleAsync(caller, request.OrderId, cancellationToken);
            order.RequestCancellationByBuyer(request.Reason, store.Now);
            return new RequestCancellationResponse { Order = ProtoMapper.ToProto(order) };
        }, context.CancellationToken);
    }

    public override async Task<SubmitCancellationFeedResponse> SubmitCancellationFeed(SubmitCancellationFeedRequest request, ServerCallContext context)
    {
        var caller = AccessInterceptor.CallerOf(context);
        var v = new RequestValidator();
        var requestId = v.RequestId(request.RequestId);
        if (request.Lines.Count == 0)
        {
            v.Add("lines", "required: at least one line");
        }
        else if (request.Lines.Count > MaxFeedLines)
        {
            v.Add("lines", $"at most {MaxFeedLines} lines; split the feed");
        }

        v.ThrowIfInvalid();
        var cancellationToken = context.CancellationToken;
        var answer = new SubmitCancellationFeedResponse();

        if (request.ValidateOnly)
        {
            // The real cancellations, applied to the orders in memory and never saved, so that
            // each line sees what the earlier ones did exactly as in the real run (a second
            // line for one order is ORDER_CANCELED), and the rate moves line by line from the
            // seller's rate before the feed. Nothing is stored under the request_id either.
            try
            {
                var now = store.Now;
                var orders = new Dictionary<string, Domain.Order>(StringComparer.Ordinal);
                foreach (var chunk in request.Lines.Chunk(FeedChunkSize))
                {
                    foreach (var (id, order) in await LoadFeedOrdersAsync(caller, chunk, cancellationToken))
                    {
                        orders[id] = order;
                    }
                }

                var rate = await RateBeforeFeedLinesAsync(caller, orders, now, cancellationToken);
                answer.Results.AddRange(ApplyFeedLines(request.Lines, 0, orders, rate, now));
            }
            finally
            {
                store.Db.ChangeTracker.Clear();
            }

            return Summarize(answer);
        }

        var stored = await store.FindAnswerAsync<SubmitCancellationFeedResponse>(caller, context.Method, requestId, request, cancellationToken);
        if (stored is not null)
        {
            return stored;
        }

        var lines = request.Clone();
        lines.RequestId = ""; // a retry may spell the UUID differently
        var feedFingerprint = Convert.ToHexStringLower(SHA256.HashData(lines.ToByteArray()))[..32];

        // Each chunk commits on its own with its own stored answer, so one bad line never
        // undoes the others (R10), and a feed retried after a crash replays the chunks
        // that had committed instead of cancelling twice. Each attempt at a chunk reads the
        // seller's rate afresh, after the chunks committed before it, so the rate impacts
        // stored with a chunk are the ones computed in the attempt that committed it.
        foreach (var chunk in request.Lines.Chunk(FeedChunkSize).Select((lines, index) => (lines, index)))
        {
            var chunkRequest = new SubmitCancellationFeedRequest { RequestId = requestId, Lines = { chunk.lines } };
            // The chunk's stored answer is bound to the whole feed, so that another feed sent
            // with the same request_id and the same first lines is REQUEST_ID_REUSED.
            var chunkAnswer = await store.MutateAsync(caller, $"{context.Method}#chunk/{feedFingerprint}", ChunkRequestId(requestId, chunk.index), chunkRequest,
                async token =>
                {
                    var now = store.Now;
                    var orders = await LoadFeedOrdersAsync(caller, chunk.lines, token);
                    var rate = await RateBeforeFeedLinesAsync(caller, orders, now, token);
                    return new SubmitCancellationFeedResponse { Results = { ApplyFeedLines(chunk.lines, chunk.index * FeedChunkSize, orders, rate, now) } };
                },
                cancellationToken);
            answer.Results.AddRange(chunkAnswer.Results);
        }

        var summarized = Summarize(answer);
        return await store.MutateAsync(caller, context.Method, requestId, request, _ => Task.FromResult(summarized), cancellationToken);
    }

    public override async Task<GetCancellationMetricsResponse> GetCancellationMetrics(GetCancellationMetricsRequest request, ServerCallContext context)
    {
        var caller = AccessInterceptor.CallerOf(context);
        var v = new RequestValidator();
        var window = CancellationMetrics.DefaultWindow;
        if (request.Window is not null)
        {
            // Checked before ToTimeSpan, which throws on a Duration that is not normalized.
            if (!IsValidDuration(request.Window))
            {
                v.Add("window", $"not a valid duration: seconds from {Duration.MinSeconds} to {Duration.MaxSeconds}, nanos from -999999999 to 999999999 and not of the opposite sign to seconds");
            }
            else
            {
                window = request.Window.ToTimeSpan();
                if (window < MinMetricsWindow || window > MaxMetricsWindow)
                {
                    v.Add("window", "must be between 1 hour and 90 days");
                }
            }
        }

        v.ThrowIfInvalid();
        var end = store.Now;
        var summary = await CancellationRates.ForSellerAsync(store.Db, caller.Id, end - window, end, context.CancellationToken);
        var response = new GetCancellationMetricsResponse
        {
            WindowStart = Timestamp.FromDateTimeOffset(summary.WindowStart),
            WindowEnd = Timestamp.FromDateTimeOffset(summary.WindowEnd),
            CountedCancellations = summary.CountedCancellations,
            TotalOrders = summary.TotalOrders,
            RateBasisPoints = summary.RateBasisPoints,
            TargetBasisPoints = summary.TargetBasisPoints,
            TargetMet = summary.TargetMet,
        };
        response.CountedOrderIds.AddRange(summary.CountedOrderIds);
        return response;
    }

    public override async Task<GetReplyTemplateResponse> GetReplyTemplate(GetReplyTemplateRequest request, ServerCallContext context)
    {
        var caller = AccessInterceptor.CallerOf(context);
        var v = new RequestValidator();
        v.DefinedEnum(request.TemplateId, "template_id");
        v.Identifier(request.OrderId, "order_id");
        if (string.IsNullOrEmpty(request.LanguageCode))
        {
            v.Add("language_code", "required: ja or en");
        }
        else if (!IsSupportedLanguage(request.LanguageCode))
        {
            // Checked before the order is read, so an unsupported language gets the same
            // answer whatever the order id names: UNSUPPORTED_LANGUAGE when it is the only
            // mistake, as the domain words it, one field among the others otherwise.
            // Quoted only when short: an error never carries a client's megabytes back.
            var shown = request.LanguageCode.Length <= 35 ? $"'{request.LanguageCode}' " : "";
            var message = $"language_code {shown}is not supported; supported: {string.Join(", ", ReplyTemplates.Languages)}, optionally with a region such as ja-JP.";
            if (v.IsValid)
            {
                throw DomainException.Invalid("language_code", "UNSUPPORTED_LANGUAGE", message);
            }

            v.Add("language_code", message);
        }

        v.ThrowIfInvalid();
        var order = await store.FindVisibleAsync(caller, request.OrderId, context.CancellationToken);
        var (subject, body) = ReplyTemplates.Render((Domain.ReplyTemplateId)request.TemplateId, request.LanguageCode, order);
        return new GetReplyTemplateResponse
        {
            Template = new ReplyTemplate
            {
                TemplateId = request.TemplateId,
                LanguageCode = request.LanguageCode.Split('-')[0].ToLowerInvariant(),
                Subject = subject,
                Body = body,
            },
        };
    }

    /// <summary>The shape checks of one cancellation, shared by CancelOrder and each feed
    /// line so that both answer alike. Which reasons and requesters a seller may use is
    /// the domain's rule.</summary>
    private static void ValidateCancellation(RequestValidator v, string orderId, Api.CancelReason reason, Api.CancellationRequester requester, string note)
    {
        v.Identifier(orderId, "order_id");
        v.DefinedEnum(reason, "reason");
        v.DefinedEnum(requester, "requester", allowUnspecified: true);
        v.Text(note, "note", 1000, required: false);
    }

    private static Domain.CancellationRequester RequesterOf(Api.CancellationRequester requester) =>
        requester == Api.CancellationRequester.Unspecified ? Domain.CancellationRequester.Seller : (Domain.CancellationRequester)requester;

    private async Task<CancelOrderResponse> CancelResponseAsync(
        Domain.Order order,
        Domain.CancellationAttribution cancellation,
        Api.Cancellation cancellationProto,
        CancellationMetrics.OrderFact orderBefore,
        CancellationToken cancellationToken)
    {
        // The 7 days up to and including the cancellation, so that it is in them (R17).
        var (start, end) = CancellationMetrics.WindowThrough(cancellation.CanceledAt);
        var rateBefore = await CancellationRates.ForSellerAsync(
            store.Db, order.SellerId, start, end, cancellationToken, asLoaded: [orderBefore]);
        var impact = CancellationMetrics.Impact(rateBefore, orderBefore, cancellation.CountsAgainstSellerRate, cancellation.CanceledAt);
        return new CancelOrderResponse
        {
            Order = ProtoMapper.ToProto(order),
            Cancellation = cancellationProto,
            RateImpact = ToProto(impact),
        };
    }

    private static CancellationRateImpact ToProto(CancellationMetrics.RateImpact impact) => new()
    {
        CountsAgainstSellerRate = impact.CountsAgainstSellerRate,
        RateBeforeBasisPoints = impact.RateBeforeBasisPoints,
        RateAfterBasisPoints = impact.RateAfterBasisPoints,
        TargetBasisPoints = impact.TargetBasisPoints,
        CrossesTarget = impact.CrossesTarget,
    };

    /// <summary>The caller's orders that <paramref name="lines"/> name, tracked, by id.</summary>
    private async Task<Dictionary<string, Domain.Order>> LoadFeedOrdersAsync(
        Caller caller, IReadOnlyList<CancellationFeedLine> lines, CancellationToken cancellationToken)
    {
        var ids = lines.Select(l => l.OrderId).Where(id => id.Length is > 0 and <= RequestValidator.MaxIdLength).Distinct().ToList();
        return await store.VisibleOrders(caller).Where(o => ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id, StringComparer.Ordinal, cancellationToken);
    }

    /// <summary>The seller's 7-day rate (R17) that feed lines applied at <paramref name="now"/>
    /// start from, with <paramref name="orders"/> as they were loaded (nothing applied yet).</summary>
    private Task<CancellationMetrics.Summary> RateBeforeFeedLinesAsync(
        Caller caller, IReadOnlyDictionary<string, Domain.Order> orders, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (start, end) = CancellationMetrics.WindowThrough(now);
        return CancellationRates.ForSellerAsync(store.Db, caller.Id, start, end, cancellationToken,
            asLoaded: orders.Values.Select(CancellationMetrics.OrderFact.Of).ToList());
    }

    /// <summary>Cancels, on the loaded <paramref name="orders"/>, what each line asks, in line
    /// order: each line gets the status CancelOrder would have returned, and an accepted one
    /// the cancellation and its effect on <paramref name="rate"/>, which each accepted line
    /// that counts moves for the next (R17). The caller saves the orders, or (validate_only)
    /// discards them.</summary>
    private static List<FeedLineResult> ApplyFeedLines(
        IReadOnlyList<CancellationFeedLine> lines,
        int firstIndex,
        IReadOnlyDictionary<string, Domain.Order> orders,
        CancellationMetrics.Summary rate,
        DateTimeOffset now)
    {
        var results = new List<FeedLineResult>(lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var result = new FeedLineResult { LineNumber = firstIndex + i + 1, OrderId = line.OrderId };
            try
            {
                var v = new RequestValidator();
                ValidateCancellation(v, line.OrderId, line.Reason, line.Requester, line.Note);
                v.ThrowIfInvalid();
                var order = orders.GetValueOrDefault(line.OrderId) ?? throw Infrastructure.OrderStore.OrderNotFound(line.OrderId);
                var before = CancellationMetrics.OrderFact.Of(order);
                var cancellation = order.CancelBySeller((Domain.CancelReason)line.Reason, RequesterOf(line.Requester), line.Note, now);
                var counts = cancellation.CountsAgainstSellerRate;
                var impact = CancellationMetrics.Impact(rate, before, counts, cancellation.CanceledAt);
                rate = CancellationMetrics.After(rate, before, counts, cancellation.CanceledAt);
                result.Status = new Google.Rpc.Status { Code = (int)StatusCode.OK };
                result.Cancellation = ProtoMapper.ToProto(order.Cancellations[^1]);
                result.RateImpact = ToProto(impact);
            }
            catch (DomainException exception)
            {
                result.Status = RpcErrors.StatusOf(exception);
            }
            catch (RpcException exception)
            {
                result.Status = RpcErrors.StatusOf(exception);
            }

            results.Add(result);
        }

        return results;
    }

    private static SubmitCancellationFeedResponse Summarize(SubmitCancellationFeedResponse answer)
    {
        var accepted = answer.Results.Count(r => r.Status.Code == (int)StatusCode.OK);
        answer.Summary = new FeedSummary
        {
            Lines = answer.Results.Count,
            Accepted = accepted,
            Failed = answer.Results.Count - accepted,
        };
        return answer;
    }

    /// <summary>A google.protobuf.Duration as its definition allows it: seconds within
    /// 10,000 years either way, nanos within a second either way, and the two not of
    /// opposite signs.</summary>
    private static bool IsValidDuration(Duration duration) =>
        duration.Seconds is >= Duration.MinSeconds and <= Duration.MaxSeconds
        && duration.Nanos is > -Duration.NanosecondsPerSecond and < Duration.NanosecondsPerSecond
        && !(duration.Seconds > 0 && duration.Nanos < 0)
        && !(duration.Seconds < 0 && duration.Nanos > 0);

    /// <summary>A language the reply templates exist in ("ja", "en"; any case), optionally
    /// followed by subtags such as a region ("ja-JP", "en-US").</summary>
    private static bool IsSupportedLanguage(string languageCode)
    {
        var subtags = languageCode.Split('-');
        return ReplyTemplates.Languages.Contains(subtags[0].ToLowerInvariant())
            && subtags.Skip(1).All(subtag => subtag.Length is >= 1 and <= 8 && subtag.All(char.IsAsciiLetterOrDigit));
    }

    /// <summary>The stored-answer key of one chunk of a feed, derived from the feed's
    /// request_id so that a retry of the feed finds it.</summary>
    private static string ChunkRequestId(string feedRequestId, int chunkIndex)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{feedRequestId}/chunk/{chunkIndex}"));
        return new Guid(hash.AsSpan(0, 16)).ToString("D");
    }
}
