using AnomalyApi.Core.Telemetry;

namespace AnomalyApi.Core.Tests.Telemetry;

/// <summary>The builder on small hand-written scrapes, for the cases a real capture does not show.</summary>
public class NodeFeatureBuilderTests
{
    private static IReadOnlyList<MetricSample> Scrape(string text) => PrometheusTextParser.Parse(text);

    private static string Cpu(int cpu, string mode, double seconds) =>
        $"node_cpu_seconds_total{{cpu=\"{cpu}\",mode=\"{mode}\"}} {seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}\n";

    [Fact]
    public void Build_CounterIncrease_IsDividedByTheInterval()
    {
        var result = new NodeFeatureBuilder(["cpu_0_user"])
            .Build(Scrape(Cpu(0, "user", 100)), Scrape(Cpu(0, "user", 103)), intervalSeconds: 4);

        Assert.True(result.IsComplete);
        Assert.Equal(0.75f, result.Values[0]);
    }

    [Fact]
    public void Build_CounterThatWentDown_CountsItsNewValueAsTheIncrease()
    {
        // A reboot between scrapes restarts the counter from zero: 1.5 s accrued since, as rate() reads it.
        var result = new NodeFeatureBuilder(["cpu_0_user"])
            .Build(Scrape(Cpu(0, "user", 5000)), Scrape(Cpu(0, "user", 1.5)), intervalSeconds: 3);

        Assert.Equal(0.5f, result.Values[0]);
    }

    [Fact]
    public void Build_CpuTheMachineLacks_SaysWhichSeriesAndWhichCpusExist()
    {
        var scrape = Scrape(Cpu(0, "idle", 1) + Cpu(1, "idle", 1));

        var result = new NodeFeatureBuilder(["cpu_0_idle", "cpu_3_idle"]).Build(scrape, scrape, 1);

        var missing = Assert.Single(result.Missing);
        Assert.Equal("cpu_3_idle", missing.Feature);
        Assert.Equal(
            "cpu_3_idle: node_cpu_seconds_total{cpu=\"3\",mode=\"idle\"} is not exported (this machine has CPUs 0-1)",
            missing.ToString());
        Assert.True(float.IsNaN(result.Values[1]));
    }

    [Fact]
    public void Build_NoCpuCounterAtAll_SaysTheCpuCollectorIsMissing()
    {
        var scrape = Scrape("node_memory_MemTotal_bytes 1\n");

        var result = new NodeFeatureBuilder(["cpu_0_idle"]).Build(scrape, scrape, 1);

        Assert.Contains("the scrape has no node_cpu_seconds_total at all", Assert.Single(result.Missing).Reason);
    }

    [Fact]
    public void Build_CpuMissingOnlyFromThePreviousScrape_SaysSo()
    {
        var result = new NodeFeatureBuilder(["cpu_1_idle"])
            .Build(Scrape(Cpu(0, "idle", 1)), Scrape(Cpu(0, "idle", 2) + Cpu(1, "idle", 2)), 1);

        Assert.Equal(
            "node_cpu_seconds_total{cpu=\"1\",mode=\"idle\"} is not in the previous scrape",
            Assert.Single(result.Missing).Reason);
    }

    [Fact]
    public void Build_MemoryGaugeNotExported_SaysSo()
    {
        var scrape = Scrape("node_memory_MemTotal_bytes 10\n");

        var result = new NodeFeatureBuilder(["node_memory_Cached_bytes", "node_memory_MemTotal_bytes"]).Build(scrape, scrape, 1);

        Assert.Equal("node_memory_Cached_bytes: node_memory_Cached_bytes is not exported", Assert.Single(result.Missing).ToString());
        Assert.Equal(10f, result.Values[1]);
    }

    [Fact]
    public void Build_MemoryUsedWithoutMemAvailable_NamesTheAbsentGauge()
    {
        var scrape = Scrape("node_memory_MemTotal_bytes 10\n");

        var result = new NodeFeatureBuilder(["memory_used_bytes"]).Build(scrape, scrape, 1);

        Assert.Equal(
            "needs node_memory_MemTotal_bytes and node_memory_MemAvailable_bytes, but node_memory_MemAvailable_bytes is not exported",
            Assert.Single(result.Missing).Reason);
    }

    [Theory]
    [InlineData("disk_io_seconds")]
    [InlineData("cpu_x_idle")]
    [InlineData("cpu_0_")]
    [InlineData("cpu_0")]
    public void Build_UnknownFeatureName_IsReportedNotThrown(string feature)
    {
        var scrape = Scrape(Cpu(0, "idle", 1));

        var result = new NodeFeatureBuilder([feature]).Build(scrape, scrape, 1);

        var missing = Assert.Single(result.Missing);
        Assert.Equal(feature, missing.Feature);
        Assert.StartsWith("not a node feature", missing.Reason);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Build_NonPositiveInterval_Throws(double interval)
    {
        var scrape = Scrape(Cpu(0, "idle", 1));

        Assert.Throws<ArgumentOutOfRangeException>(
            () => new NodeFeatureBuilder(["cpu_0_idle"]).Build(scrape, scrape, interval));
    }

    [Fact]
    public void CpusIn_IgnoresOtherMetricsAndNonNumericCpuLabels()
    {
        var scrape = Scrape(Cpu(2, "idle", 1) + Cpu(0, "idle", 1) + Cpu(0, "user", 1)
            + "node_cpu_seconds_total{cpu=\"total\",mode=\"idle\"} 1\nnode_cpu_guest_seconds_total{cpu=\"5\",mode=\"user\"} 1\n");

        Assert.Equal([0, 2], NodeFeatureBuilder.CpusIn(scrape));
    }

    [Fact]
    public void Build_NonContiguousCpus_AreListed()
    {
        var scrape = Scrape(Cpu(0, "idle", 1) + Cpu(2, "idle", 1));

        var result = new NodeFeatureBuilder(["cpu_1_idle"]).Build(scrape, scrape, 1);

        Assert.EndsWith("(this machine has CPUs 0, 2)", Assert.Single(result.Missing).Reason);
    }

    [Fact]
    public void ElapsedSeconds_WithoutNodeTime_IsNull()
    {
        var scrape = Scrape(Cpu(0, "idle", 1));

        Assert.Null(NodeTime.ElapsedSeconds(scrape, Scrape("node_time_seconds 5\n")));
        Assert.Equal(2.5, NodeTime.ElapsedSeconds(Scrape("node_time_seconds 5\n"), Scrape("node_time_seconds 7.5\n")));
    }
}
