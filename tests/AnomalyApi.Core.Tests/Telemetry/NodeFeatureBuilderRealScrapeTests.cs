using AnomalyApi.Core.Features;
using AnomalyApi.Core.Telemetry;

namespace AnomalyApi.Core.Tests.Telemetry;

/// <summary>
/// The builder on the two real scrapes. The interval comes from the scrapes' own node_time_seconds:
/// the exporter reads that clock in the same scrape as /proc/stat, so it matches the counters better
/// than the curl timestamps, which include the HTTP round trip (the two agree to a few ms here).
/// </summary>
public class NodeFeatureBuilderRealScrapeTests
{
    private static readonly IReadOnlyList<int> Cpus = NodeFeatureBuilder.CpusIn(NodeExporterScrapes.Second);

    private static readonly double Interval =
        NodeTime.ElapsedSeconds(NodeExporterScrapes.First, NodeExporterScrapes.Second)
        ?? throw new InvalidOperationException("the fixture lacks node_time_seconds");

    private static NodeFeatureResult Build(IReadOnlyList<string> features) =>
        new NodeFeatureBuilder(features).Build(NodeExporterScrapes.First, NodeExporterScrapes.Second, Interval);

    [Fact]
    public void CpusIn_RealScrape_ListsTheCapturingMachinesCpus()
    {
        // The fixture was captured on a 2-CPU machine (see TestData/node_exporter/README.md).
        Assert.Equal([0, 1], Cpus);
    }

    [Fact]
    public void ElapsedSeconds_RealScrapes_IsAboutTheThreeSecondsBetweenCurls()
    {
        Assert.InRange(Interval, 2.9, 3.2);
    }

    [Fact]
    public void Build_RealScrapesForThisMachine_IsComplete()
    {
        var result = Build(NodeFeatureNames.For(Cpus.Count));

        Assert.True(result.IsComplete, string.Join("; ", result.Missing));
        Assert.Equal(Cpus.Count * 8 + 6, result.Values.Length);
        Assert.All(result.Values, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Build_RealScrapes_EachCpusModeFractionsSumToOne()
    {
        var features = NodeFeatureNames.For(Cpus.Count);
        var result = Build(features);

        foreach (var cpu in Cpus)
        {
            var sum = NodeFeatureNames.CpuModes
                .Sum(mode => result.Values[IndexOf(features, NodeFeatureNames.CpuFeature(cpu, mode))]);
            Assert.True(Math.Abs(sum - 1) <= 0.02, $"CPU {cpu}'s mode fractions sum to {sum}");
        }
    }

    [Fact]
    public void Build_RealScrapes_CpuFractionIsCounterIncreaseOverInterval()
    {
        const string series = "node_cpu_seconds_total{cpu=\"1\",mode=\"idle\"}";
        var expected = (NodeExporterScrapes.GrepValue(NodeExporterScrapes.SecondPath, series)
            - NodeExporterScrapes.GrepValue(NodeExporterScrapes.FirstPath, series)) / Interval;

        var result = Build(["cpu_1_idle"]);

        Assert.Equal((float)expected, result.Values[0]);
    }

    [Fact]
    public void Build_RealScrapes_MemoryUsedIsTotalMinusAvailable()
    {
        var total = NodeExporterScrapes.GrepValue(NodeExporterScrapes.SecondPath, "node_memory_MemTotal_bytes");
        var available = NodeExporterScrapes.GrepValue(NodeExporterScrapes.SecondPath, "node_memory_MemAvailable_bytes");

        var result = Build(["memory_used_bytes"]);

        Assert.Equal((float)(total - available), result.Values[0]);
    }

    [Fact]
    public void Build_RealScrapes_MemoryGaugesPassThroughFromTheCurrentScrape()
    {
        var gauges = NodeFeatureNames.MemoryFeatures.Where(f => f.StartsWith("node_memory_", StringComparison.Ordinal)).ToList();

        var result = Build(gauges);

        Assert.True(result.IsComplete, string.Join("; ", result.Missing));
        for (var i = 0; i < gauges.Count; i++)
        {
            var expected = NodeExporterScrapes.GrepValue(NodeExporterScrapes.SecondPath, gauges[i]);
            Assert.Equal((float)expected, result.Values[i]);
        }
    }

    [Fact]
    public void Build_RealScrapesForTheDefaultFourCpuModel_NamesEachMissingCpuSeries()
    {
        var result = Build(NodeFeatureNames.Default);

        Assert.False(result.IsComplete);
        Assert.Equal(
            NodeFeatureNames.Default.Where(f => f.StartsWith("cpu_2_", StringComparison.Ordinal) || f.StartsWith("cpu_3_", StringComparison.Ordinal)),
            result.Missing.Select(m => m.Feature));
        Assert.Contains(
            "cpu_3_idle: node_cpu_seconds_total{cpu=\"3\",mode=\"idle\"} is not exported (this machine has CPUs 0-1)",
            result.Missing.Select(m => m.ToString()));
        Assert.True(float.IsNaN(result.Values[IndexOf(NodeFeatureNames.Default, "cpu_3_idle")]));
        Assert.False(float.IsNaN(result.Values[IndexOf(NodeFeatureNames.Default, "cpu_1_idle")]));
    }

    private static int IndexOf(IReadOnlyList<string> features, string name)
    {
        for (var i = 0; i < features.Count; i++)
        {
            if (features[i] == name)
            {
                return i;
            }
        }
        throw new ArgumentException($"{name} is not a feature", nameof(name));
    }
}
