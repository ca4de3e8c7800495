using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using AnomalyApi.Core.Configuration;
using AnomalyApi.Tests.Shared;
using AnomalyApi.Trainer.Commands;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace AnomalyApi.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A model of THIS machine and the service running it, built once for the collection as a user would: Debian's
/// node_exporter on loopback, the trainer's <c>record</c> at a 1 s interval for 3 minutes of the machine as it is,
/// <c>train</c> on that, then the service with the new model and its collector scraping the same exporter every
/// second. Everything is torn down by PID and the work folder deleted at the end.
/// </summary>
/// <remarks>
/// The recording is made while the service runs (with the shipped model, whose collector scrapes but cannot score a
/// machine of fewer CPUs) and is followed the way the tests follow it: the machine's normal then includes the
/// monitoring itself. Recorded without it, the serving phase would add the service's own memory, tens of MiB, to
/// a memory_used whose idle range over 3 quiet minutes is a few MiB, and every idle interval would look anomalous.
/// The service is a process of its own for the same reason: swapping it for one serving the new model leaves the
/// test host's memory as it was, and training, also in a process of its own, leaves nothing behind.
/// </remarks>
public sealed partial class MachineModelFixture(IMessageSink diagnostics) : IAsyncLifetime
{
    /// <summary>Where <see cref="TestReport"/> sends lines that `dotnet test` shows.</summary>
    public IMessageSink Diagnostics { get; } = diagnostics;

    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    public const string RecordDuration = "3m";

    /// <summary>
    /// The threshold rule given to <c>train</c>. Not p99: over 180 rows the 99th percentile lies between the two
    /// largest training scores, so by construction about 1 % of the very rows it was fit on exceed it, half of the
    /// 2 % false-positive budget before the machine drifts at all. mean + 3 sd of the training RMSE sits above the
    /// bulk of a right-skewed score distribution without being set by its single largest row.
    /// </summary>
    public const string ThresholdMethod = "mean3sd";

    /// <summary>
    /// <c>train --range-margin</c>, as README recommends for a recording of minutes. Fitted on 3 quiet minutes, the
    /// memory gauges' min/max are a few MiB apart out of GiBs; normalised by that, the page cache growing or the
    /// service allocating a few MiB more lands outside the range and is clipped to 0 or 1, and idle intervals are
    /// flagged for ordinary drift; a CPU's softirq fitted on 0..0.004 is flagged for one tick of jitter. Widened by
    /// 2 × max(range, 5 % of the unit) a side (the trainer's default floor: 5 % of a CPU, 5 % of the largest memory
    /// gauge), they have room for that, while the loads stay far outside: 2 GiB of stress-ng memory moves
    /// memory_used and MemAvailable together by a large part of their band, and a CPU burn takes idle to 0 and user to 1, the far edges of the CPU fractions' range,
    /// which the trainer clamps to [0, 1] so the widening spends none of the normalised scale on impossible values.
    /// </summary>
    public const string RangeMargin = "2";

    private const int RecentCount = 20;

    /// <summary>
    /// The page cache and free memory, left out of the model (<c>train --features</c>, as README advises for a short
    /// recording on such a machine). This VM reclaims cold page cache by itself, so both follow the kernel rather
    /// than the workload: in one CI run, right after the build filled the cache, Cached fell from 3644 to 2714 MiB
    /// during the 3-minute recording and on to 1597 MiB by the last idle phase, MemFree rising to match, and 184 of
    /// 300 idle intervals were flagged for it. memory_used and MemAvailable count that cache as available and stayed
    /// within 635..691 and 23414..23470 MiB, so a memory load still shows in them.
    /// </summary>
    public static readonly IReadOnlySet<string> ReclaimedByTheKernel = new HashSet<string>(StringComparer.Ordinal)
    {
        "node_memory_Cached_bytes", "node_memory_MemFree_bytes",
    };

    /// <summary>The recording's feature columns, in file order, except <see cref="ReclaimedByTheKernel"/>.</summary>
    private IEnumerable<string> TrainedFeatures() =>
        File.ReadLines(RecordingPath).First().Split(',').Where(c => c != "timestamp" && !ReclaimedByTheKernel.Contains(c));

    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("anomaly-e2e-");
    private NodeExporterProcess? _exporter;
    private ServiceProcess? _service;
    private CollectorClient? _collector;

    public Uri ExporterUrl => _exporter!.MetricsUrl;

    public string ModelDirectory => Path.Combine(_work.FullName, "model");

    public string RecordingPath => Path.Combine(_work.FullName, "normal.csv");

    /// <summary>A folder for stress-ng's files, deleted with the fixture.</summary>
    public string ScratchDirectory => Directory.CreateDirectory(Path.Combine(_work.FullName, "scratch")).FullName;

    public ModelConfig Model { get; private set; } = null!;

    /// <summary>When the service serving the trained model was started.</summary>
    public DateTimeOffset ServingSince { get; private set; }

    /// <summary>CPUs in the trained model's features: what the first scrape of this machine reported.</summary>
    public int Cpus { get; private set; }

    /// <summary>
    /// The CPUs' mean busy fraction (1 − idle) over the recording. The issue's recording is of an idle-ish machine;
    /// on one already busy, a CPU burn adds nothing the model has not seen, and the failure messages say so.
    /// </summary>
    public double RecordedCpuBusy { get; private set; }

    /// <summary>Each <c>_bytes</c> feature's min and max in the recording, in MiB: what "normal" memory was.</summary>
    public IReadOnlyDictionary<string, (double Min, double Max)> RecordedMiB { get; private set; } = new Dictionary<string, (double, double)>();

    /// <summary>Each feature column's largest value in the recording, in its own unit.</summary>
    public IReadOnlyDictionary<string, double> RecordedMax { get; private set; } = new Dictionary<string, double>();

    /// <summary>What record and train printed.</summary>
    public string TrainerLog { get; private set; } = "";

    public CollectorClient Collector => _collector!;

    public async Task InitializeAsync()
    {
        _exporter = await NodeExporterProcess.StartAsync();

        var clock = Stopwatch.StartNew();
        await StartServiceAsync(Path.Combine(AppContext.BaseDirectory, "models"));
        await RecordAsync();
        await StopServiceAsync();
        var recorded = clock.Elapsed;

        var (exit, output) = await DotnetApp.RunAsync(DotnetApp.TrainerAssembly, TimeSpan.FromMinutes(5),
            "train", "--data", RecordingPath, "--out", ModelDirectory, "--threshold", ThresholdMethod, "--range-margin", RangeMargin, "--seed", "42", "--batch-size", "16",
            "--features", string.Join(',', TrainedFeatures()));
        TrainerLog += output;
        Assert.True(exit == 0, $"train exited {exit}:\n{output}");
        Model = ModelConfigReader.Read(Path.Combine(ModelDirectory, "model_config.json"));
        Cpus = Model.Features.Count(f => CpuIdleFeature().IsMatch(f));
        Report(recorded, clock.Elapsed - recorded, output);

        ServingSince = DateTimeOffset.UtcNow;
        await StartServiceAsync(ModelDirectory);
        await Collector.VectorsAfterAsync(DateTimeOffset.MinValue, 1);
    }

    /// <summary>
    /// `anomaly-trainer record` through the trainer's own command tree, in this process (whose footprint stays put
    /// for the rest of the run, unlike a process of its own that would leave when the recording ends).
    /// </summary>
    private async Task RecordAsync()
    {
        using var output = new StringWriter();
        var exit = await TrainerCli.Create()
            .Parse(["record", "--node-exporter", ExporterUrl.ToString(), "--interval", "1s", "--duration", RecordDuration, "--out", RecordingPath])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = output });
        TrainerLog += output.ToString();
        Assert.True(exit == 0, $"record exited {exit}:\n{output}");
    }

    /// <summary>What the model was made from, for the run's log: the recording's spread and train's summary lines.</summary>
    private void Report(TimeSpan recorded, TimeSpan trained, string trainOutput)
    {
        var header = File.ReadLines(RecordingPath).First().Split(',');
        var used = Array.IndexOf(header, "memory_used_bytes");
        var rows = File.ReadLines(RecordingPath).Skip(1).Select(line => line.Split(',')).ToArray();
        var usedMiB = rows.Select(cells => double.Parse(cells[used], CultureInfo.InvariantCulture) / (1 << 20)).ToArray();
        var summary = trainOutput.Split('\n').Where(l => l.StartsWith("epochs:", StringComparison.Ordinal) || l.StartsWith("threshold:", StringComparison.Ordinal));
        var feature = Model.Features.ToList().IndexOf("memory_used_bytes");
        var (bandMin, bandMax) = (Model.Normalization.Min[feature] / (1 << 20), Model.Normalization.Max[feature] / (1 << 20));
        // The CPUs' mean busy fraction while recording: a recording of a machine that was already busy cannot make a
        // CPU burn stand out, and this line says so when the cpu load is not detected.
        var idleColumns = header.Select((name, i) => (name, i)).Where(c => CpuIdleFeature().IsMatch(c.name)).Select(c => c.i).ToArray();
        var busy = RecordedCpuBusy = 1 - rows.Average(cells => idleColumns.Average(i => double.Parse(cells[i], CultureInfo.InvariantCulture)));
        var columns = header.Select((name, i) => (name, i)).Where(c => c.name != "timestamp")
            .ToDictionary(c => c.name, c => rows.Select(cells => double.Parse(cells[c.i], CultureInfo.InvariantCulture)).ToArray());
        RecordedMax = columns.ToDictionary(c => c.Key, c => c.Value.Max());
        RecordedMiB = columns.Where(c => c.Key.EndsWith("_bytes", StringComparison.Ordinal))
            .ToDictionary(c => c.Key, c => (c.Value.Min() / (1 << 20), c.Value.Max() / (1 << 20)));
        Diagnostics.OnMessage(new DiagnosticMessage(FormattableString.Invariant(
            $"record: {rows.Length} rows in {recorded.TotalSeconds:F0} s, load average {LoadAverage()}, CPUs {busy:P0} busy on average, memory_used {usedMiB.Min():F1}..{usedMiB.Max():F1} MiB (normalised over {bandMin:F1}..{bandMax:F1} MiB); train ({trained.TotalSeconds:F0} s): {string.Join("; ", summary.Select(l => l.Trim()))}")));
    }

    /// <summary>The kernel's 1, 5 and 15 minute load averages, for the run's log: how busy the machine was around the test.</summary>
    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private async Task StartServiceAsync(string modelDirectory)
    {
        _service = await ServiceProcess.StartAsync(modelDirectory, ExporterUrl, Interval, RecentCount);
        _collector = new CollectorClient(_service.Client, Interval);
    }

    private async Task StopServiceAsync()
    {
        if (_collector is not null)
        {
            await _collector.DisposeAsync();
            _collector = null;
        }
        if (_service is not null)
        {
            await _service.DisposeAsync();
            _service = null;
        }
    }

    public async Task DisposeAsync()
    {
        await StopServiceAsync();
        if (_exporter is not null)
        {
            await _exporter.DisposeAsync();
        }
        _work.Delete(recursive: true);
    }

    [GeneratedRegex(@"^cpu_\d+_idle$")]
    private static partial Regex CpuIdleFeature();
}
