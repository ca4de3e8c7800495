using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AnomalyApi.Tests;

/// <summary>
/// The service in memory, pointed at the shipped model through in-memory configuration. Pass settings to
/// change configuration (<see cref="With"/>, a fresh factory per such test); log lines are kept in <see cref="Logs"/>.
/// </summary>
public sealed class AnomalyApiFactory : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;

    public AnomalyApiFactory() : this(new Dictionary<string, string?>())
    {
    }

    private AnomalyApiFactory(IReadOnlyDictionary<string, string?> settings) => _settings = settings;

    /// <summary>A factory whose configuration has <paramref name="settings"/> on top of the shipped model's.</summary>
    public static AnomalyApiFactory With(params (string Key, string? Value)[] settings) =>
        new(settings.ToDictionary(s => s.Key, s => s.Value));

    public ConcurrentQueue<(LogLevel Level, string Category, string Message)> Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Model:Directory"] = TestModel.Directory,
        };
        foreach (var (key, value) in _settings)
        {
            configuration[key] = value;
        }
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(configuration));
        builder.ConfigureLogging(logging => logging.AddProvider(new CapturingLoggerProvider(Logs)));
    }

    private sealed class CapturingLoggerProvider(ConcurrentQueue<(LogLevel, string, string)> logs) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, logs);

        public void Dispose()
        {
        }
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<(LogLevel, string, string)> logs) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            logs.Enqueue((logLevel, category, formatter(state, exception)));
    }
}
