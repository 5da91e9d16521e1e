using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using OrderService.Application.Access;
using OrderService.Application.Errors;
using OrderService.Application.Idempotency;
using OrderService.Application.Telemetry;
using OrderService.Contracts.V1;
using OrderService.Domain;

namespace OrderService.Application.Feeds;

/// <summary>The one feed engine (R10: one bad line never undoes the others). Lines are
/// applied in fixed chunks, each committed in its own transaction with its own stored
/// answer bound to the whole feed, so that a feed retried after a crash replays the chunks
/// that had committed and carries on from the first that had not. Every line gets the
/// google.rpc.Status the single-order RPC would have returned. With validate_only the real
/// domain runs on the loaded aggregates and nothing is saved or stored. The lines answered
/// for the first time (committed, or refused as ABORTED) are counted by outcome; replayed
/// chunks and validate_only runs are not.</summary>
public sealed class FeedRunner(IdempotentTransactions transactions, TimeProvider clock, OrderServiceMetrics metrics, ILogger<FeedRunner> logger)
{
    /// <summary>Lines per transaction of the service's feeds: large enough that a 20,000-line
    /// feed is 40 transactions, small enough that one stays short.</summary>
    public const int DefaultChunkSize = 500;

    public async Task<TResponse> RunAsync<TCommand, TResponse>(
        Caller caller,
        RequestKey key,
        IReadOnlyList<FeedLine<TCommand>> lines,
        bool validateOnly,
        IFeedLines<TCommand> feed,
        CancellationToken cancellationToken)
        where TCommand : class
        where TResponse : class, IMessage<TResponse>, IFeedResponse, new()
    {
        var run = feed.Begin(caller, clock.GetUtcNow());
        if (validateOnly)
        {
            // All lines on one set of loaded aggregates, in line order, exactly as the real
            // run would apply them; then everything is discarded.
            try
            {
                var answer = new TResponse();
                answer.Results.AddRange(await ApplyAsync(lines, run, cancellationToken));
                return Summarize(answer);
            }
            finally
            {
                transactions.DiscardChanges();
            }
        }

        var stored = await transactions.FindAnswerAsync<TResponse>(caller, key, cancellationToken);
        if (stored is not null)
        {
            return stored;
        }

        var fingerprint = FingerprintOf(key.Request);
        var results = new TResponse();
        var complete = true;
        foreach (var (chunk, index) in lines.Chunk(feed.ChunkSize).Select((chunk, index) => (chunk, index)))
        {
            // Once a chunk has gone line by line it stays so on every retry, so that a line
            // committed on its own is replayed, never applied a second time by the chunk.
            var byLine = PartKey(key, fingerprint, $"chunk/{index}/by-line");
            if (await transactions.FindAnswerAsync<TResponse>(caller, byLine, cancellationToken) is null)
            {
                try
                {
                    var chunkAnswer = await CommitAsync<TCommand, TResponse>(caller, PartKey(key, fingerprint, $"chunk/{index}"), chunk, run, cancellationToken);
                    results.Results.AddRange(chunkAnswer.Results);
                    continue;
                }
                catch (DomainException exception) when (exception.Kind == ErrorKind.Aborted)
                {
                    // The chunk would not commit, even re-run: keep whatever the database
                    // refused with its own line by committing the chunk one line at a time.
                    logger.ChunkCommittedLineByLine(key.RequestId, index, exception.Reason);
                    await transactions.RunAsync(caller, byLine, _ => Task.FromResult(new TResponse()), cancellationToken);
                }
            }

            for (var i = 0; i < chunk.Length; i++)
            {
                var line = chunk[i];
                try
                {
                    var lineAnswer = await CommitAsync<TCommand, TResponse>(caller, PartKey(key, fingerprint, $"chunk/{index}/line/{i}"), [line], run, cancellationToken);
                    results.Results.AddRange(lineAnswer.Results);
                }
                catch (DomainException lineException) when (lineException.Kind == ErrorKind.Aborted)
                {
                    // Not stored: the same request_id retries this line, and replays the rest.
                    results.Results.Add(Result(line, ErrorStatus.Of(lineException)));
                    metrics.FeedLines(FeedName(key), accepted: 0, refused: 1);
                    complete = false;
                }
            }
        }

        var summarized = Summarize(results);
        return complete
            ? await transactions.RunAsync(caller, key, _ => Task.FromResult(summarized), cancellationToken)
            : summarized;
    }

    /// <summary>Applies <paramref name="lines"/> in one transaction stored under
    /// <paramref name="part"/>, and tells the run whether what it prepared is what committed:
    /// a replayed stored answer, or a failure, was not.</summary>
    private async Task<TResponse> CommitAsync<TCommand, TResponse>(
        Caller caller, RequestKey part, IReadOnlyList<FeedLine<TCommand>> lines, IFeedRun<TCommand> run, CancellationToken cancellationToken)
        where TCommand : class
        where TResponse : class, IMessage<TResponse>, IFeedResponse, new()
    {
        TResponse? applied = null;
        try
        {
            var answer = await transactions.RunAsync(caller, part, async token =>
            {
                applied = new TResponse();
                applied.Results.AddRange(await ApplyAsync(lines, run, token));
                return applied;
            }, cancellationToken);
            if (ReferenceEquals(answer, applied))
            {
                run.Committed();
                var accepted = applied.Results.Count(r => ErrorStatus.IsOk(r.Status));
                metrics.FeedLines(FeedName(part), accepted, applied.Results.Count - accepted);
            }
            else
            {
                run.Forget();
            }

            return answer;
        }
        catch
        {
            run.Forget();
            throw;
        }
    }

    private static async Task<List<FeedLineResult>> ApplyAsync<TCommand>(
        IReadOnlyList<FeedLine<TCommand>> lines, IFeedRun<TCommand> run, CancellationToken cancellationToken)
        where TCommand : class
    {
        var apply = await run.PrepareAsync(lines, cancellationToken);
        var results = new List<FeedLineResult>(lines.Count);
        foreach (var line in lines)
        {
            if (line.Command is null)
            {
                results.Add(Result(line, line.Refusal ?? throw new ArgumentException($"Line {line.LineNumber} has neither a command nor a refusal.")));
                continue;
            }

            try
            {
                var result = apply(line.Command);
                result.LineNumber = line.LineNumber;
                result.OrderId = line.OrderId;
                result.Status = ErrorStatus.Ok();
                results.Add(result);
            }
            catch (DomainException exception)
            {
                results.Add(Result(line, ErrorStatus.Of(exception)));
            }
        }

        return results;
    }

    private static FeedLineResult Result<TCommand>(FeedLine<TCommand> line, Google.Rpc.Status status)
        where TCommand : class =>
        new() { LineNumber = line.LineNumber, OrderId = line.OrderId, Status = status };

    private static TResponse Summarize<TResponse>(TResponse answer)
        where TResponse : IFeedResponse
    {
        var accepted = answer.Results.Count(r => ErrorStatus.IsOk(r.Status));
        answer.Summary = new FeedSummary { Lines = answer.Results.Count, Accepted = accepted, Failed = answer.Results.Count - accepted };
        return answer;
    }

    /// <summary>The feed's method name ("SubmitCancellationFeed"), for the metrics: the last
    /// segment of the gRPC method, before a part's suffix.</summary>
    private static string FeedName(RequestKey key)
    {
        var method = key.Method.Split('#')[0];
        return method[(method.LastIndexOf('/') + 1)..];
    }

    /// <summary>The stored-answer key of one part of a feed: its request_id derived from the
    /// feed's, so that a retry of the feed finds it, and its method bound to the whole feed's
    /// fingerprint, so that another feed sent with the same request_id and the same first
    /// lines is REQUEST_ID_REUSED rather than a replay of this one's parts.</summary>
    private static RequestKey PartKey(RequestKey feed, string fingerprint, string part)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{feed.RequestId}/{part}"));
        var partId = new Guid(hash.AsSpan(0, 16)).ToString("D");
        return new RequestKey($"{feed.Method}#{part}/{fingerprint}", partId, new StringValue { Value = part });
    }

    /// <summary>A fingerprint of the feed's content, whatever request_id it was sent with.</summary>
    private static string FingerprintOf(IMessage request) =>
        Convert.ToHexStringLower(SHA256.HashData(IdempotentTransactions.CanonicalRequestId(request, replacement: "").ToByteArray()))[..32];
}
