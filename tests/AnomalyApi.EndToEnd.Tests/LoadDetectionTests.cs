using System.Globalization;
using AnomalyApi.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace AnomalyApi.EndToEnd.Tests;

/// <summary>
/// The issue's end-to-end check on this machine: with the model recorded and trained by the fixture, the service's
/// collector flags a CPU, a memory and an I/O load (stress-ng, one after the other) within 3 intervals each, while
/// flagging at most 2 % of the idle intervals before them (150 before each). Prints the time to detect per load and the idle
/// false-positive rate. Category "Load": it measures the machine, so tests/run-tests.sh runs it alone.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "Load")]
public sealed class LoadDetectionTests(MachineModelFixture machine, ITestOutputHelper output)
{
    /// <summary>
    /// Idle intervals watched before each load: 450 in all, so the rate is measured over seven and a half minutes and
    /// one burst of what the VM's host does cannot use up the budget alone. Seen: three cpu_1_system spikes within 13 s
    /// (2 % of 150 intervals); in the 2026-12-04 CI run, six intervals within 12 s flagged for cpu_N_steal, the time
    /// the hypervisor gave other guests, which took 300 intervals to exactly 2.0 %. One such burst is 1.3 % of 450.
    /// </summary>
    private const int IdleIntervals = 150;

    /// <summary>Intervals a load runs for (counted from its start): the detection window and a little more.</summary>
    private const int LoadIntervals = 5;

    /// <summary>A load must be flagged in one of its first this-many intervals.</summary>
    private const int DetectWithin = 3;

    /// <summary>Intervals left out after a load stops (or the service starts) before idle counting resumes: the
    /// interval that spans the stop, and the kernel handing back the memory and page cache the load held.</summary>
    private const int SettleIntervals = 3;

    private const double IdleFalsePositiveBudget = 0.02;

    /// <summary>
    /// How long after the service starts before idle intervals count. The service's collector path runs once an
    /// interval, so .NET's tiered JIT recompiles it about 30 and 60 calls in (30 s and 60 s at 1 s); each time the
    /// tiered-compilation thread burns about 0.3 CPU-seconds within one second (measured from /proc/PID/stat and
    /// perf: 30-33 ticks against 1-4 in the other seconds, none from 65 s to 160 s). On 2 CPUs that is a
    /// cpu_N_user spike of about 0.3 in a single interval, which is the service warming up, not the machine idling.
    /// </summary>
    private static readonly TimeSpan ServiceWarmUp = TimeSpan.FromSeconds(75);

    private readonly TestReport _report = new(output, machine.Diagnostics);

    private sealed record Phase(string Load, IReadOnlyList<CollectedVector> IdleBefore, IReadOnlyList<CollectedVector> UnderLoad, DateTimeOffset StartedAt, string LoadAverage)
    {
        public int IdleFlagged => IdleBefore.Count(v => v.IsAnomaly);

        /// <summary>1-based interval of the first flagged vector under load, or null.</summary>
        public int? DetectedAt => UnderLoad.Select((v, i) => (v, i)).FirstOrDefault(x => x.v.IsAnomaly) is { v: not null } hit ? hit.i + 1 : null;
    }

    [Fact]
    public async Task CpuMemoryAndIoLoads_AreEachFlaggedWithinThreeIntervals_WhileAtMostTwoPercentOfIdleIntervalsAre()
    {
        var loads = new (string Name, Func<StressLoad> Start)[]
        {
            ("cpu", () => StressLoad.Cpu(machine.Cpus)),
            // 2 GiB on a 24 GiB machine: far outside the few MiB memory moves by while idle, well inside what CI has.
            ("memory", () => StressLoad.Memory("2G")),
            ("io", () => StressLoad.Disk(machine.ScratchDirectory, "512M")),
        };

        var phases = new List<Phase>();
        var warm = machine.ServingSince + ServiceWarmUp;
        var settleFrom = warm > DateTimeOffset.UtcNow ? warm : DateTimeOffset.UtcNow;
        foreach (var (name, start) in loads)
        {
            var settled = await machine.Collector.VectorsAfterAsync(settleFrom, SettleIntervals);
            var idle = await machine.Collector.VectorsAfterAsync(settled[^1].At, IdleIntervals);
            var loadAverage = MachineModelFixture.LoadAverage();
            await using var load = start();
            var underLoad = await machine.Collector.VectorsAfterAsync(load.StartedAt, LoadIntervals);
            Assert.True(await load.StopAsync(), $"stress-ng's {name} load ended before the test stopped it");
            phases.Add(new Phase(name, idle, underLoad, load.StartedAt, loadAverage));
            settleFrom = load.StoppedAt!.Value;
        }

        Print(phases);
        var idleCount = phases.Sum(p => p.IdleBefore.Count);
        var idleFlagged = phases.Sum(p => p.IdleFlagged);
        Assert.All(phases, p => Assert.True(p.DetectedAt is <= DetectWithin,
            $"{p.Load} load: first flagged at interval {p.DetectedAt?.ToString(CultureInfo.InvariantCulture) ?? "never"} of {LoadIntervals}; " +
            $"rmse {string.Join(" ", p.UnderLoad.Select(v => v.Rmse.ToString("F4", CultureInfo.InvariantCulture)))} against threshold {machine.Model.Threshold:F4}; " +
            $"while recording the CPUs were {machine.RecordedCpuBusy:P0} busy, load average now {MachineModelFixture.LoadAverage()}"));
        Assert.True(idleFlagged <= IdleFalsePositiveBudget * idleCount,
            $"{idleFlagged} of {idleCount} idle intervals flagged ({(double)idleFlagged / idleCount:P1}), more than {IdleFalsePositiveBudget:P0}");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    private void Print(IReadOnlyList<Phase> phases)
    {
        var threshold = machine.Model.Threshold;
        var idle = phases.SelectMany(p => p.IdleBefore).Select(v => v.Rmse).Order().ToArray();
        _report.Line(FormattableString.Invariant(
            $"End to end on this machine: {machine.Cpus} CPUs, {machine.Model.Features.Count} features, recorded for {MachineModelFixture.RecordDuration} at {MachineModelFixture.Interval.TotalSeconds:F0} s, threshold {threshold:F4} ({MachineModelFixture.ThresholdMethod}), range margin {MachineModelFixture.RangeMargin}"));
        _report.Line($"{"load",-8} {"load avg",-16} {"idle before",-14} {"detected at",-12} {"time to detect",-15} {"max rmse",-9} top features of the first flagged vector");
        foreach (var phase in phases)
        {
            var detected = phase.DetectedAt is { } at ? phase.UnderLoad[at - 1] : null;
            var idleColumn = $"{phase.IdleFlagged}/{phase.IdleBefore.Count} flagged";
            var detectedColumn = detected is null ? "never" : $"interval {phase.DetectedAt}";
            var timeColumn = detected is null ? "-" : FormattableString.Invariant($"{(detected.At - phase.StartedAt).TotalSeconds:F1} s");
            var top = detected is null ? "" : string.Join(", ", detected.TopFeatures.Select(f => f.Name));
            _report.Line(FormattableString.Invariant($"{phase.Load,-8} {phase.LoadAverage,-16} {idleColumn,-14} {detectedColumn,-12} {timeColumn,-15} {phase.UnderLoad.Max(v => v.Rmse),-9:F4} {top}"));
        }
        var flagged = phases.Sum(p => p.IdleFlagged);
        _report.Line(FormattableString.Invariant(
            $"idle false-positive rate: {flagged}/{idle.Length} = {(double)flagged / idle.Length:P1} (budget {IdleFalsePositiveBudget:P0}); idle rmse median {idle[idle.Length / 2]:F4}, max {idle[^1]:F4}"));
        // What the flagged idle intervals blamed: drift in one gauge reads differently from a machine busy with other work.
        var blamed = phases.SelectMany(p => p.IdleBefore).Where(v => v.IsAnomaly).Select(v => v.TopFeatures.FirstOrDefault()?.Name ?? "?")
            .CountBy(name => name).OrderByDescending(c => c.Value).Select(c => $"{c.Key} x{c.Value}");
        if (flagged > 0)
        {
            _report.Line($"flagged idle intervals' top feature: {string.Join(", ", blamed)}");
            var when = phases.SelectMany(p => p.IdleBefore).Where(v => v.IsAnomaly)
                .Select(v => FormattableString.Invariant($"{(v.At - machine.ServingSince).TotalSeconds:F0} s"));
            _report.Line($"flagged idle intervals, after the service started: {string.Join(", ", when)}");
        }
        // Where memory sat while idle, next to the recording: a gauge that moved away from what "normal" was
        // (page cache left behind by a load, say) reads here as a median outside the recorded range.
        foreach (var phase in phases)
        {
            var gauges = machine.RecordedMiB.Where(g => phase.IdleBefore[0].Features.ContainsKey(g.Key)).Select(g => FormattableString.Invariant(
                $"{g.Key.Replace("node_memory_", "", StringComparison.Ordinal)} {Median(phase.IdleBefore.Select(v => v.Features[g.Key] / (double)(1 << 20))):F0} ({g.Value.Min:F0}..{g.Value.Max:F0})"));
            _report.Line($"idle before {phase.Load}, MiB median (recorded range): {string.Join(", ", gauges)}");
        }
    }
}
