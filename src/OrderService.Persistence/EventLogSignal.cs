namespace OrderService.Persistence;

/// <summary>Wakes this process's tail of the event log when events commit. Only a hint:
/// the tail also polls the log. Commits made here are also announced to the other
/// instances (PostgreSQL NOTIFY, after the commit), which wake theirs. Take
/// <see cref="NextAsync"/> before reading the log, so a commit between the read and the
/// wait is never missed.</summary>
public sealed class EventLogSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _nextLocalCommit = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next <see cref="Notify"/> or <see cref="Committed"/>.</summary>
    public Task NextAsync() => Volatile.Read(ref _next).Task;

    /// <summary>Completes at the next <see cref="Committed"/>: events committed by this
    /// process, which the other instances should hear of.</summary>
    public Task NextLocalCommitAsync() => Volatile.Read(ref _nextLocalCommit).Task;

    /// <summary>Something may have been appended to the log (by any instance).</summary>
    public void Notify() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>This process committed events.</summary>
    public void Committed()
    {
        Notify();
        Interlocked.Exchange(ref _nextLocalCommit, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }
}

/// <summary>The log's retention state: one row. Events up to <see cref="PrunedThroughId"/>
/// may have been deleted, so a stream cannot resume from before it.</summary>
public sealed class EventLogState
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    public long PrunedThroughId { get; set; }
}
