namespace OrderService.Server.Notifications;

/// <summary>The event log's and the notification machinery's log lines (event ids
/// 2100-2199): counts, cursors, channels and timings, never a notice's content.</summary>
internal static partial class NotificationLog
{
    [LoggerMessage(EventId = 2101, Level = LogLevel.Information,
        Message = "Retention: deleted {Events} events (through {Cursor}) and {Requests} stored answers.")]
    public static partial void RetentionPruned(this ILogger logger, int events, long? cursor, int requests);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Error,
        Message = "Retention pass failed; trying again in {Interval}.")]
    public static partial void RetentionFailed(this ILogger logger, Exception exception, TimeSpan interval);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning,
        Message = "LISTEN {Channel} failed; streams fall back to polling. Retrying in {Backoff}.")]
    public static partial void ListenFailed(this ILogger logger, Exception exception, string channel, TimeSpan backoff);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning,
        Message = "NOTIFY {Channel} failed; other instances find the events by polling. Retrying in 1 s.")]
    public static partial void NotifyFailed(this ILogger logger, Exception exception, string channel);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Warning,
        Message = "Reading the event log failed; trying again in {Backoff}.")]
    public static partial void TailReadFailed(this ILogger logger, Exception exception, TimeSpan backoff);
}
