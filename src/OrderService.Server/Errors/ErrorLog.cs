namespace OrderService.Server.Errors;

/// <summary>The error mapping's log lines (event ids 2000-2099). They name the method and,
/// for a server fault, the incident id the caller was given; never the request.</summary>
internal static partial class ErrorLog
{
    /// <summary>A server fault, answered INTERNAL with <paramref name="incident"/>: the one
    /// line support finds from the id a caller reports.</summary>
    [LoggerMessage(EventId = 2001, Level = LogLevel.Error,
        Message = "Unhandled error in {Method} (incident {Incident}).")]
    public static partial void UnhandledError(this ILogger logger, Exception exception, string method, string incident);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information,
        Message = "Request message over {Limit} bytes for {Method}")]
    public static partial void MessageTooLarge(this ILogger logger, int limit, string? method);

    /// <summary><paramref name="problem"/>: the parser's words, at most 200 characters,
    /// which never quote the message's content at length.</summary>
    [LoggerMessage(EventId = 2003, Level = LogLevel.Information,
        Message = "Unreadable request message for {Method}: {Problem}")]
    public static partial void UnreadableMessage(this ILogger logger, string? method, string problem);
}
