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

    /// <summary>Loads, tracked, what <paramref name="lines"/> need (one query per chunk of
    /// ids, not one per line) and returns how to apply one line to it. Lines are applied in
    /// order, each seeing what the earlier ones did. Applying a line changes the loaded
    /// aggregates and returns what to report for it; a refusal is a DomainException that
    /// changed nothing.</summary>
    Task<Func<TCommand, FeedLineResult>> PrepareAsync(
        Caller caller, IReadOnlyList<FeedLine<TCommand>> lines, DateTimeOffset now, CancellationToken cancellationToken);
}
