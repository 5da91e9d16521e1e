namespace OrderService.Client;

/// <summary>Where a <see cref="ResumableSubscription"/> keeps its place in the notice
/// stream: the cursor of the last notice the application processed (or of the last
/// heartbeat, or the stream's start cursor). Implement it over the application's own
/// database to store the cursor in the same transaction as what a notice changed.</summary>
public interface ICursorStore
{
    /// <summary>The stored cursor, or null when there is none yet (start from now).</summary>
    ValueTask<string?> LoadAsync(CancellationToken cancellationToken);

    ValueTask SaveAsync(string cursor, CancellationToken cancellationToken);
}

/// <summary>A cursor kept in memory: resumes across reconnects, not across a restart of the
/// process.</summary>
public sealed class MemoryCursorStore(string? cursor = null) : ICursorStore
{
    private volatile string? _cursor = cursor;

    public string? Cursor => _cursor;

    public ValueTask<string?> LoadAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_cursor);

    public ValueTask SaveAsync(string cursor, CancellationToken cancellationToken)
    {
        _cursor = cursor;
        return ValueTask.CompletedTask;
    }
}

/// <summary>A cursor kept in a file, so a subscriber resumes where it stopped after its
/// process restarts. A save writes a temporary file beside it, flushes it to the disk and
/// renames it over the old one, so a crash (of the process or of the machine) leaves the old
/// cursor or the new one, never half of one. A file that exists but holds no cursor is an
/// error, not "start from now", which would skip every notice since the last save.</summary>
public sealed class FileCursorStore(string path) : ICursorStore
{
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public async ValueTask<string?> LoadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Path))
        {
            return null;
        }

        var cursor = (await File.ReadAllTextAsync(Path, cancellationToken)).Trim();
        return cursor.Length > 0
            ? cursor
            : throw new InvalidDataException($"The cursor file {Path} is empty: restore it, or delete it to start from now.");
    }

    public async ValueTask SaveAsync(string cursor, CancellationToken cancellationToken)
    {
        // A name of its own per save: two processes saving one cursor never write one file.
        var temporary = $"{Path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await file.WriteAsync(System.Text.Encoding.UTF8.GetBytes(cursor + "\n"), cancellationToken);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, Path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
