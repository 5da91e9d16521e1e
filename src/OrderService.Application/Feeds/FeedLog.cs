using Microsoft.Extensions.Logging;

namespace OrderService.Application.Feeds;

/// <summary>The feed engine's log lines (event ids 1100-1199). Ids and codes only: never a
/// line's content.</summary>
internal static partial class FeedLog
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning,
        Message = "Feed {RequestId}: chunk {Chunk} would not commit ({Reason}); committing it line by line.")]
    public static partial void ChunkCommittedLineByLine(this ILogger logger, string requestId, int chunk, string reason);
}
