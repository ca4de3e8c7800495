using System.Globalization;
using AnomalyApi.Core.Features;
using AnomalyApi.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace AnomalyApi.EndToEnd.Tests;

/// <summary>
/// The service's background collector against Debian's real node_exporter, seen as a client sees it (GET
/// /collector/recent): its vectors describe this machine consistently, and a CPU burn started here shows in them.
/// Category "Load": tests/run-tests.sh runs these alone, after every other test.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "Load")]
public sealed class LiveCollectorTests(MachineModelFixture machine, ITestOutputHelper output)
{
    private readonly TestReport _report = new(output, machine.Diagnostics);

    [Fact]
    public async Task CollectedVectors_OfThisMachine_HaveCpuModesSummingToOne_AndConsistentMemory()
    {
        var vectors = await machine.Collector.VectorsAfterAsync(DateTimeOffset.UtcNow, 10);
        // An independent source for the one memory figure that does not move: the kernel's own MemTotal.
        var memTotal = MemTotalFromProc();

        for (var cpu = 0; cpu < machine.Cpus; cpu++)
        {
            // Each CPU's modes over the ten intervals (consecutive, so the mean is their total over the total time)
            // sum to 1 within 0.02. One interval alone gets a looser bound: node_exporter reads /proc/stat and the
            // clock a moment apart, a skew of some ms that a busy moment stretches (measured here: sums of 0.944 to
            // 0.98 with builds running beside the test), and it cancels between neighbouring intervals. A dropped or
            // double-counted mode still fails both bounds.
            var sums = vectors.Select(v => CpuSum(v, cpu)).ToArray();
            Assert.True(Math.Abs(sums.Average() - 1) <= 0.02, $"cpu {cpu}: modes sum to {sums.Average():F4} on average over {sums.Length} intervals ({string.Join(" ", sums.Select(s => s.ToString("F3", CultureInfo.InvariantCulture)))})");
            Assert.All(sums, sum => Assert.InRange(sum, 0.9f, 1.1f));
        }
        foreach (var vector in vectors)
        {
            Assert.Equal(machine.Model.Features, vector.Features.Keys);
            Assert.All(vector.Features.Where(f => f.Key.StartsWith("cpu_", StringComparison.Ordinal)), f => Assert.InRange(f.Value, 0f, 1.1f));

            var total = vector.Features["node_memory_MemTotal_bytes"];
            var available = vector.Features["node_memory_MemAvailable_bytes"];
            var used = vector.Features["memory_used_bytes"];
            // float32 holds ~24 GB to within 2 KB.
            Assert.Equal(memTotal, total, 4096f);
            Assert.Equal(total - available, used, 8192f);
            Assert.InRange(used, 0f, total);
            Assert.InRange(vector.Features["node_memory_Buffers_bytes"], 0f, available);
            // MemFree and Cached are not in this model (MachineModelFixture.ReclaimedByTheKernel); NodeExporterFeedTests
            // checks them against the same node_exporter.
            Assert.DoesNotContain(vector.Features.Keys, MachineModelFixture.ReclaimedByTheKernel.Contains);
        }
        _report.Line($"{vectors.Count} vectors: per-CPU mode sums {vectors.SelectMany(CpuSums).Min():F4}..{vectors.SelectMany(CpuSums).Max():F4}, " +
                     $"memory_used {vectors.Min(v => v.Features["memory_used_bytes"]) / (1 << 20):F0}..{vectors.Max(v => v.Features["memory_used_bytes"]) / (1 << 20):F0} MiB of {memTotal / (1 << 20):F0} MiB");
    }

    [Fact]
    public async Task CpuBurn_StartedByTheTest_RaisesTheUserFractionInTheNextVectors()
    {
        var before = await machine.Collector.VectorsAfterAsync(DateTimeOffset.UtcNow, 3);

        IReadOnlyList<CollectedVector> during;
        await using (var burn = StressLoad.Cpu(machine.Cpus))
        {
            during = await machine.Collector.VectorsAfterAsync(burn.StartedAt, 4);
            Assert.True(await burn.StopAsync(), "stress-ng --cpu ended before the test stopped it");
        }

        var idleUser = before.Average(UserSum);
        _report.Line($"user fraction summed over {machine.Cpus} CPUs: before {string.Join(" ", before.Select(v => UserSum(v).ToString("F2", CultureInfo.InvariantCulture)))}, " +
                     $"burning {string.Join(" ", during.Select(v => UserSum(v).ToString("F2", CultureInfo.InvariantCulture)))}");
        // The first vector after the start may span the moment stress-ng started; the next ones are wholly under load.
        foreach (var vector in during.Skip(1))
        {
            var user = UserSum(vector);
            Assert.True(user >= 0.6 * machine.Cpus, $"user fraction summed over {machine.Cpus} CPUs while burning: {user:F3} (before: {idleUser:F3})");
            Assert.True(user >= idleUser + 0.1 * machine.Cpus,
                $"user fraction rose from {idleUser:F3} to only {user:F3} (load average {MachineModelFixture.LoadAverage()}: a machine already busy has no idle time for the burn to take)");
            Assert.All(CpuSums(vector), sum => Assert.InRange(sum, 0.9f, 1.1f));
        }
    }

    private float UserSum(CollectedVector vector) =>
        Enumerable.Range(0, machine.Cpus).Sum(cpu => vector.Features[NodeFeatureNames.CpuFeature(cpu, "user")]);

    private IEnumerable<float> CpuSums(CollectedVector vector) => Enumerable.Range(0, machine.Cpus).Select(cpu => CpuSum(vector, cpu));

    private static float CpuSum(CollectedVector vector, int cpu) =>
        NodeFeatureNames.CpuModes.Sum(mode => vector.Features[NodeFeatureNames.CpuFeature(cpu, mode)]);

    private static float MemTotalFromProc()
    {
        var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        var kibibytes = long.Parse(line["MemTotal:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return kibibytes * 1024f;
    }
}
