using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using AnomalyApi.Core.Configuration;
using AnomalyApi.Core.Features;
using AnomalyApi.Core.Telemetry;
using AnomalyApi.Trainer.Commands;
using AnomalyApi.Tests.Shared;

namespace AnomalyApi.Trainer.Tests.Recording;

/// <summary><c>record</c> against Debian's real node_exporter on loopback (tests/run-tests.sh installs it), then <c>train</c> on what it wrote.</summary>
[Collection(TrainerCliCollection.Name)]
public sealed class RecordCommandTests : IAsyncLifetime
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("trainer-record-");
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private NodeExporterProcess? _exporter;
    private Uri _metrics = null!;

    private string PathOf(string name) => Path.Combine(_work.FullName, name);

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
        _http.Dispose();
        _work.Delete(recursive: true);
    }

    [Fact]
    public async Task RecordThenTrain_OnThisMachine_WritesConsistentRowsAndAModelOfTheSameFeatures()
    {
        var machineCpus = NodeFeatureBuilder.CpusIn(await new NodeExporterFeed(_http, _metrics, []).ScrapeAsync()).Count;
        var csv = PathOf("normal.csv");

        var (exit, output, error) = await RunAsync("record", "--node-exporter", _metrics.ToString(), "--interval", "500ms", "--duration", "5s", "--out", csv);

        Assert.True(exit == ExitCodes.Success, error);
        Assert.Contains($"reports {machineCpus} CPU(s)", output);
        Assert.Contains("wrote 10/10 rows", output);
        var lines = File.ReadAllLines(csv);
        var features = NodeFeatureNames.For(machineCpus);
        Assert.Equal("timestamp," + string.Join(',', features), lines[0]);
        Assert.Equal(11, lines.Length); // train needs at least 10 rows
        var sums = Enumerable.Range(0, machineCpus).Select(_ => new List<float>()).ToArray();
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',');
            Assert.Equal(features.Count + 1, cells.Length);
            var at = DateTimeOffset.Parse(cells[0], CultureInfo.InvariantCulture);
            Assert.Equal(TimeSpan.Zero, at.Offset);
            Assert.InRange(DateTimeOffset.UtcNow - at, TimeSpan.Zero, TimeSpan.FromMinutes(1));
            var values = cells.Skip(1).Select(c => float.Parse(c, CultureInfo.InvariantCulture)).ToArray();
            Assert.All(values, v => Assert.True(float.IsFinite(v)));
            // Mode seconds over node_time_seconds' interval: the kernel counts CPU time in 10 ms ticks and the
            // counters and clock are read a moment apart (measured here: ~15 ms, more when the machine is busy,
            // as it is while other test assemblies run), which is a large share of 500 ms. So each row gets a
            // sanity bound that still fails on a dropped or double-counted mode, and the mean over the rows
            // (below) a tight one that fails on any systematic error.
            for (var cpu = 0; cpu < machineCpus; cpu++)
            {
                var sum = values.Skip(cpu * 8).Take(8).Sum();
                Assert.InRange(sum, 0.75f, 1.25f);
                sums[cpu].Add(sum);
            }
            float Feature(string name) => values[features.ToList().IndexOf(name)];
            // Bytes of several GB as float: the difference is exact to float rounding (about 1 KB at 16 GB).
            Assert.Equal(Feature("node_memory_MemTotal_bytes") - Feature("node_memory_MemAvailable_bytes"), Feature("memory_used_bytes"), 4096f);
        }

        Assert.All(sums, cpuSums => Assert.InRange(cpuSums.Average(), 0.97, 1.03));

        (exit, _, error) = await RunAsync("train", "--data", csv, "--out", PathOf("model"), "--epochs", "3", "--restarts", "1", "--batch-size", "4", "--threshold", "p95");

        Assert.True(exit == ExitCodes.Success, error);
        var config = ModelConfigReader.Read(PathOf("model/model_config.json"));
        Assert.Equal(features, config.Features);
        Assert.True(File.Exists(PathOf("model/autoencoder.onnx")));
    }

    [Fact]
    public async Task Record_WithMoreCpusThanTheMachine_ExitsNamingTheCountsAndWritesNoFile()
    {
        var machineCpus = NodeFeatureBuilder.CpusIn(await new NodeExporterFeed(_http, _metrics, []).ScrapeAsync()).Count;
        var csv = PathOf("too-many.csv");

        var (exit, _, error) = await RunAsync("record", "--node-exporter", _metrics.ToString(), "--interval", "200ms", "--duration", "1s", "--cpus", $"{machineCpus + 2}", "--out", csv);

        Assert.Equal(ExitCodes.DataError, exit);
        Assert.Contains($"--cpus {machineCpus + 2}", error);
        Assert.Contains($"reports {machineCpus} CPU(s)", error);
        Assert.False(File.Exists(csv));
    }

    [Fact]
    public async Task Record_WithFewerCpusThanTheMachine_RecordsThoseFeatures()
    {
        var csv = PathOf("one-cpu.csv");

        var (exit, output, error) = await RunAsync("record", "--node-exporter", _metrics.ToString(), "--interval", "200ms", "--duration", "400ms", "--cpus", "1", "--out", csv);

        Assert.True(exit == ExitCodes.Success, error);
        Assert.DoesNotContain("reports", output);
        Assert.Equal("timestamp," + string.Join(',', NodeFeatureNames.For(1)), File.ReadLines(csv).First());
        Assert.Equal(3, File.ReadAllLines(csv).Length);
    }

    [Fact]
    public async Task Record_WhenNothingListens_ExitsDataErrorQuicklyNamingTheUrl()
    {
        var url = $"http://127.0.0.1:{NodeExporterProcess.FreeLoopbackPort()}/metrics";
        var csv = PathOf("unreachable.csv");
        var clock = Stopwatch.StartNew();

        var (exit, _, error) = await RunAsync("record", "--node-exporter", url, "--interval", "100ms", "--duration", "1h", "--out", csv);

        Assert.Equal(ExitCodes.DataError, exit);
        Assert.Contains(url, error);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.False(File.Exists(csv));
    }

    [Fact]
    public async Task Record_WhenCancelled_KeepsTheRowsWrittenAndExitsZero()
    {
        var csv = PathOf("cancelled.csv");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(900));

        var (exit, output, error) = await RunAsync(cancel.Token, "record", "--node-exporter", _metrics.ToString(), "--interval", "200ms", "--duration", "1h", "--out", csv);

        Assert.True(exit == ExitCodes.Success, error);
        Assert.Contains("stopped: wrote", output);
        var lines = File.ReadAllLines(csv);
        Assert.InRange(lines.Length, 2, 6);
        Assert.All(lines.Skip(1), l => Assert.Equal(lines[0].Split(',').Length, l.Split(',').Length));
    }

    [Theory]
    [InlineData("--interval", "junk", "not a duration")]
    [InlineData("--duration", "5x", "unit 'x'")]
    public async Task Record_WithABadDuration_IsAUsageErrorNamingTheOption(string option, string value, string reason)
    {
        var (exit, _, error) = await RunAsync("record", "--out", PathOf("bad.csv"), option, value);

        Assert.Equal(ExitCodes.UsageError, exit);
        Assert.Contains(option, error);
        Assert.Contains(reason, error);
    }

    private static Task<(int Exit, string Output, string Error)> RunAsync(params string[] args) => RunAsync(CancellationToken.None, args);

    private static async Task<(int Exit, string Output, string Error)> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        // train's Spectre output and System.CommandLine's write to the console; capture both.
        var previousOut = Console.Out;
        var previousError = Console.Error;
        var output = new StringWriter();
        var error = new StringWriter();
        try
        {
            Console.SetOut(output);
            Console.SetError(error);
            var exit = await TrainerCli.Create().Parse(args).InvokeAsync(cancellationToken: cancellationToken);
            return (exit, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(previousOut);
            Console.SetError(previousError);
        }
    }

}
