namespace OrderService.Server.Notifications;

/// <summary>Configuration section "Notifications".</summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>A heartbeat is sent after this long without a notice, so clients and
    /// proxies can tell a quiet stream from a dead one.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the instance's tail of the log re-reads it even without a
    /// wake-up: the safety net under the in-process signal and PostgreSQL LISTEN/NOTIFY.
    /// Streams themselves never poll the database.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Events a stream takes per read (from the tail, or from the database while it
    /// replays what the tail no longer holds).</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>The newest events the instance's tail keeps in memory for its streams. A
    /// stream further behind replays from the database until it catches up.</summary>
    public int TailCapacity { get; set; } = 10_000;

    /// <summary>Notices held for one stream between the log and the client. Memory per
    /// stream is bounded by this, whatever the client does.</summary>
    public int BufferCapacity { get; set; } = 256;

    /// <summary>A stream whose buffer stays full this long (the client does not read) is
    /// ended with RESOURCE_EXHAUSTED, naming the cursor to resume from.</summary>
    public TimeSpan SlowSubscriberTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Once a stream is to end (cut off, or the server stopping), the write in
    /// flight gets this long to complete; a client that still does not read is then
    /// disconnected, so that it holds nothing on the server and never delays shutdown.</summary>
    public TimeSpan StalledWriteTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Events older than this are deleted; resuming from before them is
    /// OUT_OF_RANGE.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Stored request_id answers older than this are deleted: a retry must come
    /// within it to be recognized.</summary>
    public TimeSpan IdempotencyRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often retention runs.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);
}
