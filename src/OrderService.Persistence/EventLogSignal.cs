namespace OrderService.Persistence;

/// <summary>Wakes the notification streams of this process when events commit. Only a
/// hint: streams also poll the log, and other instances learn of commits through
/// PostgreSQL LISTEN/NOTIFY. Take <see cref="NextAsync"/> before reading the log, so a
/// commit between the read and the wait is never missed.</summary>
public sealed class EventLogSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next <see cref="Notify"/>.</summary>
    public Task NextAsync() => Volatile.Read(ref _next).Task;

    public void Notify() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}

/// <summary>The log's retention state: one row. Events up to <see cref="PrunedThroughId"/>
/// may have been deleted, so a stream cannot resume from before it.</summary>
public sealed class EventLogState
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    public long PrunedThroughId { get; set; }
}
