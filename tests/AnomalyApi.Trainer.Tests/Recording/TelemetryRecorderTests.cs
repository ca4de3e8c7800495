using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AnomalyApi.Core.Features;
using AnomalyApi.Core.Telemetry;
using AnomalyApi.Trainer.Recording;
using AnomalyApi.Tests.Shared;

namespace AnomalyApi.Trainer.Tests.Recording;

/// <summary>The recorder's retry rules, with scrape failures injected in front of Debian's real node_exporter.</summary>
public sealed class TelemetryRecorderTests : IAsyncLifetime
{
    private NodeExporterProcess? _exporter;
    private Uri _metrics = null!;

    public async Task InitializeAsync()
    {
        _exporter = await NodeExporterProcess.StartAsync();
        _metrics = _exporter.MetricsUrl;
    }

    public async Task DisposeAsync()
    {
        if (_exporter is not null)
        {
            await _exporter.DisposeAsync();
        }
    }

    [Fact]
    public async Task RunAsync_WhenOneScrapeFailsMidway_SkipsThatRowWithAWarningAndCarriesOn()
    {
        // Scrape 1 primes, 2 gives row 1, 3 fails, 4 gives row 2 (over two intervals), and so on.
        using var http = new HttpClient(new FailingHandler(failOn: call => call == 3));
        var csv = new StringWriter();
        var error = new StringWriter();
        var recorder = new TelemetryRecorder(new NodeExporterFeed(http, _metrics, NodeFeatureNames.For(1)), _metrics, TimeSpan.FromMilliseconds(200), csv, TextWriter.Null, error);

        var outcome = await recorder.RunAsync(5, CancellationToken.None);

        Assert.Equal(new RecordingOutcome(RowsWritten: 4, RowsPlanned: 5, RowsSkipped: 1, Cancelled: false), outcome);
        Assert.Equal(5, csv.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains($"scrape of {_metrics} failed: injected blip", error.ToString());
        Assert.DoesNotContain("NaN", csv.ToString());
    }

    [Fact]
    public async Task RunAsync_WhenAFeatureIsMissing_SkipsTheRowNamingTheFeatureAndGivesUpIfNoRowAtAll()
    {
        // A model of one CPU more than the machine has: cpu_N_* can never be built.
        using var http = new HttpClient();
        var machineCpus = NodeFeatureBuilder.CpusIn(await new NodeExporterFeed(http, _metrics, []).ScrapeAsync()).Count;
        var error = new StringWriter();
        var recorder = new TelemetryRecorder(new NodeExporterFeed(http, _metrics, NodeFeatureNames.For(machineCpus + 1)), _metrics, TimeSpan.FromMilliseconds(100), new StringWriter(), TextWriter.Null, error);

        var failure = await Assert.ThrowsAsync<RecordingException>(() => recorder.RunAsync(100, CancellationToken.None));

        Assert.Contains(_metrics.ToString(), failure.Message);
        Assert.Contains($"cpu_{machineCpus}_idle", failure.Message);
        Assert.Equal(TelemetryRecorder.StartupAttempts, error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    private sealed class FailingHandler(Func<int, bool> failOn) : DelegatingHandler(new HttpClientHandler())
    {
        private int _calls;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            failOn(Interlocked.Increment(ref _calls))
                ? throw new HttpRequestException("injected blip")
                : base.SendAsync(request, cancellationToken);
    }
}
