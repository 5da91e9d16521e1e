using OrderService.Application.Access;
using OrderService.Contracts.V1;

namespace OrderService.Application.Feeds;

/// <summary>One line of a feed once the service has checked its shape: the command to
/// apply, or (when the shape was wrong) the refusal already decided, which the line keeps
/// as its result without touching the database.</summary>
public sealed record FeedLine<TCommand>(int LineNumber, string OrderId, TCommand? Command, Google.Rpc.Status? Refusal)
    where TCommand : class;

/// <summary>What one kind of feed does with its lines; <see cref="FeedRunner"/> does the
/// rest (chunks, stored answers, validate_only, statuses, summary).</summary>
public interface IFeedLines<TCommand>
    where TCommand : class
{
    /// <summary>Lines per transaction. Fixed for a kind of feed: a retried feed replays
    /// chunk by chunk, so the chunks must fall the same way every time.</summary>
    int ChunkSize { get; }

    /// <summary>Starts one run of the feed for <paramref name="caller"/>. Every line of the
    /// run is dated <paramref name="receivedAt"/>, when the service received the feed: a
    /// feed is one submission, and its lines are judged against one point in time (the
    /// 7-day window of R17 included).</summary>
    IFeedRun<TCommand> Begin(Caller caller, DateTimeOffset receivedAt);
}

/// <summary>One run of a feed: its chunks are prepared and applied through it in line
/// order, and it may carry what the committed chunks left (the cancellation feed's running
/// rate) to the next one, instead of reading it again.</summary>
public interface IFeedRun<TCommand>
    where TCommand : class
{
    /// <summary>Loads, tracked, what <paramref name="lines"/> need (one query per chunk of
    /// ids, not one per line) and returns how to apply one line to it. Lines are applied in
    /// order, each seeing what the earlier ones did. Applying a line changes the loaded
    /// aggregates and returns what to report for it; a refusal is a DomainException that
    /// changed nothing. Called again for the same lines when their transaction is re-run.</summary>
    Task<Func<TCommand, FeedLineResult>> PrepareAsync(IReadOnlyList<FeedLine<TCommand>> lines, CancellationToken cancellationToken);

    /// <summary>The lines last prepared committed as applied here: what they left is where
    /// the next lines start.</summary>
    void Committed();

    /// <summary>The lines last prepared did not commit as applied here (their transaction
    /// failed, or a stored answer was replayed instead): nothing carried may be trusted,
    /// and the next lines start from the database.</summary>
    void Forget();
}
