using System.Collections;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace OrderService.IntegrationTests.Infrastructure;

/// <summary>What a test server records: its finished spans and metric snapshots through
/// OpenTelemetry's in-memory exporter, and every log line at every level through a logger
/// provider of its own. Add it to an isolated server with
/// <c>ServerFixture.StartIsolatedAsync(services: telemetry.AddTo)</c>.
/// OpenTelemetry listens process-wide: spans and measurements of other servers running in
/// this test process can show up too, so tests pick theirs by trace id or tags.</summary>
public sealed class CapturedTelemetry
{
    public Recorded<Activity> Spans { get; } = new();

    public Recorded<MetricSnapshot> Metrics { get; } = new();

    public CapturedLogs Logs { get; } = new();

    public void AddTo(IServiceCollection services)
    {
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Spans));
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(Metrics));
        services.AddSingleton<ILoggerProvider>(Logs);
        // Everything, whatever Logging:LogLevel says for the console: a rule for this
        // provider beats the category rules that have none.
        services.Configure<LoggerFilterOptions>(options =>
            options.Rules.Add(new LoggerFilterRule(typeof(CapturedLogs).FullName, null, LogLevel.Trace, null)));
    }

    /// <summary>Collects the server's metrics now (the in-memory reader would otherwise wait
    /// for its period) and returns the snapshots of <paramref name="name"/>. A flush can
    /// return before its export when an earlier export left the reader's signal set, so it
    /// is asked again until the instrument shows up (the metrics are cumulative: any later
    /// export has it, and <paramref name="until"/>, when given, holds), for up to 30 s.</summary>
    public async Task<List<MetricSnapshot>> CollectAsync(ServerFixture server, string name, Func<List<MetricSnapshot>, bool>? until = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            // False whenever the Prometheus reader is there too: it only collects for a
            // scrape. The in-memory reader collects all the same.
            server.Services.GetRequiredService<MeterProvider>().ForceFlush(5_000);
            // Every export so far, not only the last: a flush may return before its own
            // export, and an export that ran between the measurement and this call holds it.
            var found = Metrics.Where(m => m.Name == name).ToList(); // a copy, taken under the lock
            if ((found.Count > 0 && (until is null || until(found))) || DateTime.UtcNow > deadline)
            {
                return found;
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Waits (finished spans are exported when they end, which for the RPC's span is
    /// just after the client has its answer) until <paramref name="found"/> finds them.</summary>
    public async Task<T> SpansAsync<T>(Func<IReadOnlyList<Activity>, T?> found)
        where T : class
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            if (found(Spans.ToList()) is { } result)
            {
                return result;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the spans expected never came; recorded: {string.Join(", ", Spans.ToList().Select(s => s.DisplayName))}");
            await Task.Delay(50);
        }
    }
}

/// <summary>A list that exporters on other threads may add to while a test reads it.</summary>
public sealed class Recorded<T> : ICollection<T>
{
    private readonly List<T> _items = [];

    public int Count
    {
        get
        {
            lock (_items)
            {
                return _items.Count;
            }
        }
    }

    public bool IsReadOnly => false;

    public void Add(T item)
    {
        lock (_items)
        {
            _items.Add(item);
        }
    }

    public void Clear()
    {
        lock (_items)
        {
            _items.Clear();
        }
    }

    public bool Contains(T item)
    {
        lock (_items)
        {
            return _items.Contains(item);
        }
    }

    public void CopyTo(T[] array, int arrayIndex)
    {
        lock (_items)
        {
            _items.CopyTo(array, arrayIndex);
        }
    }

    public bool Remove(T item)
    {
        lock (_items)
        {
            return _items.Remove(item);
        }
    }

    /// <summary>A copy: enumerating never races an exporter.</summary>
    public IEnumerator<T> GetEnumerator()
    {
        lock (_items)
        {
            return _items.ToList().GetEnumerator();
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Every log line the server writes: category, event, the formatted message, each
/// structured value, the scopes' values and the exception with its inner ones, as one text
/// per line, so a test can search it all.</summary>
public sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    private readonly Recorded<CapturedLine> _lines = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<CapturedLine> Lines => _lines.ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = new System.Text.StringBuilder();
            text.Append(formatter(state, exception));
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                {
                    text.Append(" | ").Append(key).Append('=').Append(value);
                }
            }

            owner._scopes.ForEachScope((scope, builder) => builder.Append(" | scope ").Append(scope is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(", ", pairs.Select(p => $"{p.Key}={p.Value}"))
                : scope), text);
            if (exception is not null)
            {
                text.Append(" | ").Append(exception);
            }

            owner._lines.Add(new CapturedLine(logLevel, category, eventId, text.ToString()));
        }
    }
}

public sealed record CapturedLine(LogLevel Level, string Category, EventId EventId, string Text);
