using AnomalyApi.Core.Features;
using AnomalyApi.Trainer.Synthesis;

namespace AnomalyApi.Trainer.Tests.Synthesis;

public class TelemetrySimulatorTests
{
    private const int RowsPerDay = 86_400 / 15;
    private const long SixteenGiB = 16L * 1024 * 1024 * 1024;

    [Fact]
    public void Generate_ReturnsModelCardColumnsAndTimestampsOneIntervalApart()
    {
        var telemetry = TelemetrySimulator.Generate(new SynthOptions(Cpus: 3, Rows: 50, Seed: 1, IntervalSeconds: 30));

        Assert.Equal(NodeFeatureNames.For(3), telemetry.Columns);
        Assert.Equal(50, telemetry.Rows.Length);
        Assert.All(telemetry.Rows, row => Assert.Equal(3 * 8 + 6, row.Length));
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), telemetry.Timestamps[0]);
        Assert.All(Enumerable.Range(1, 49), r => Assert.Equal(30, telemetry.Timestamps[r] - telemetry.Timestamps[r - 1]));
    }

    [Fact]
    public void Generate_WithoutAnomalies_HasNoLabelsOrEpisodes()
    {
        var telemetry = TelemetrySimulator.Generate(new SynthOptions(Cpus: 2, Rows: 1000, Seed: 1));

        Assert.Null(telemetry.Labels);
        Assert.Empty(telemetry.Episodes);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Generate_EveryCpuHasModesInUnitIntervalSummingToOne(bool anomalies)
    {
        var telemetry = TelemetrySimulator.Generate(new SynthOptions(Cpus: 4, Rows: RowsPerDay, Seed: 7, InjectAnomalies: anomalies));

        for (var r = 0; r < telemetry.Rows.Length; r++)
        {
            for (var cpu = 0; cpu < 4; cpu++)
            {
                var sum = 0.0;
                foreach (var mode in NodeFeatureNames.CpuModes)
                {
                    var value = telemetry.Cpu(r, cpu, mode);
                    Assert.InRange(value, 0.0, 1.0);
                    sum += value;
                }
                Assert.Equal(1.0, sum, 1e-9);
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Generate_MemoryGaugesAreConsistentWholeBytes(bool anomalies)
    {
        var telemetry = TelemetrySimulator.Generate(new SynthOptions(Cpus: 2, Rows: RowsPerDay, Seed: 11, InjectAnomalies: anomalies));

        for (var r = 0; r < telemetry.Rows.Length; r++)
        {
            var total = telemetry.Value(r, "node_memory_MemTotal_bytes");
            var used = telemetry.Value(r, "memory_used_bytes");
            var available = telemetry.Value(r, "node_memory_MemAvailable_bytes");
            var free = telemetry.Value(r, "node_memory_MemFree_bytes");
            var cached = telemetry.Value(r, "node_memory_Cached_bytes");
            var buffers = telemetry.Value(r, "node_memory_Buffers_bytes");

            Assert.Equal(SixteenGiB, total);
            Assert.Equal(total - available, used);
            foreach (var value in new[] { used, available, free, cached, buffers })
            {
                Assert.InRange(value, 0, total);
                Assert.Equal(Math.Round(value), value);
            }
            // The kernel's estimate: free + reclaimable cache, within a few percent.
            var reclaimable = free + cached + buffers;
            Assert.InRange(available, 0.95 * reclaimable, 1.05 * reclaimable);
        }
    }

    [Fact]
    public void Generate_WithTheSameSeed_IsIdentical()
    {
        var options = new SynthOptions(Cpus: 4, Rows: 2000, Seed: 42, InjectAnomalies: true);

        var first = TelemetrySimulator.Generate(options);
        var second = TelemetrySimulator.Generate(options);

        Assert.Equal(first.Timestamps, second.Timestamps);
        Assert.Equal(first.Rows, second.Rows);
        Assert.Equal(first.Labels, second.Labels);
        Assert.Equal(first.Episodes, second.Episodes);
    }

    [Fact]
    public void Generate_WithDifferentSeeds_Differs()
    {
        var first = TelemetrySimulator.Generate(new SynthOptions(Cpus: 4, Rows: 2000, Seed: 1, InjectAnomalies: true));
        var second = TelemetrySimulator.Generate(new SynthOptions(Cpus: 4, Rows: 2000, Seed: 2, InjectAnomalies: true));

        Assert.NotEqual(first.Rows[0], second.Rows[0]);
        Assert.NotEqual(first.Episodes, second.Episodes);
    }

    [Fact]
    public void Generate_UserTimeIsHigherInTheBusyHalfDay()
    {
        var telemetry = TelemetrySimulator.Generate(new SynthOptions(Cpus: 2, Rows: 2 * RowsPerDay, Seed: 3));

        // The cycle peaks at noon UTC: 06:00-18:00 is the busy half.
        var busy = new List<double>();
        var quiet = new List<double>();
        for (var r = 0; r < telemetry.Rows.Length; r++)
        {
            var hour = DateTimeOffset.FromUnixTimeSeconds(telemetry.Timestamps[r]).Hour;
            (hour is >= 6 and < 18 ? busy : quiet).Add(telemetry.Cpu(r, 0, "user"));
        }

        Assert.True(busy.Average() > quiet.Average() + 0.1, $"busy {busy.Average():F3}, quiet {quiet.Average():F3}");
    }

    [Fact]
    public void Generate_ConsecutiveRowsAreCorrelated()
    {
        // Two hours around midnight, where the daily cycle is flat: what correlation remains is the noise's.
        var telemetry = TelemetrySimulator.Generate(new SynthOptions(Cpus: 1, Rows: 480, Seed: 5));
        var user = Enumerable.Range(0, 480).Select(r => telemetry.Cpu(r, 0, "user")).ToArray();

        Assert.True(LagOneAutocorrelation(user) > 0.5);
    }

    [Fact]
    public void Generate_CpusDifferSlightly()
    {
        var telemetry = TelemetrySimulator.Generate(new SynthOptions(Cpus: 4, Rows: RowsPerDay, Seed: 9));

        var meanUser = Enumerable.Range(0, 4)
            .Select(cpu => Enumerable.Range(0, RowsPerDay).Average(r => telemetry.Cpu(r, cpu, "user")))
            .ToArray();

        Assert.Equal(4, meanUser.Distinct().Count());
        Assert.True(meanUser.Max() - meanUser.Min() < 0.1);
    }

    [Fact]
    public void Generate_NiceAndStealStayNearZeroAndSystemBelowUser()
    {
        var telemetry = TelemetrySimulator.Generate(new SynthOptions(Cpus: 2, Rows: RowsPerDay, Seed: 13));

        for (var r = 0; r < RowsPerDay; r++)
        {
            Assert.InRange(telemetry.Cpu(r, 0, "nice"), 0, 0.01);
            Assert.InRange(telemetry.Cpu(r, 0, "steal"), 0, 0.01);
            Assert.InRange(telemetry.Cpu(r, 0, "iowait"), 0, 0.1);
        }
        Assert.True(Enumerable.Range(0, RowsPerDay).Average(r => telemetry.Cpu(r, 1, "system"))
            < Enumerable.Range(0, RowsPerDay).Average(r => telemetry.Cpu(r, 1, "user")));
    }

    [Theory]
    [InlineData(0, 100, 15, false)]
    [InlineData(2, 0, 15, false)]
    [InlineData(2, 100, 0, false)]
    [InlineData(2, TelemetrySimulator.MinRowsForAnomalies - 1, 15, true)]
    public void Generate_WithOptionsOutOfRange_Throws(int cpus, int rows, int interval, bool anomalies)
    {
        var options = new SynthOptions(cpus, rows, Seed: 1, IntervalSeconds: interval, InjectAnomalies: anomalies);

        Assert.Throws<ArgumentOutOfRangeException>(() => TelemetrySimulator.Generate(options));
    }

    private static double LagOneAutocorrelation(double[] x)
    {
        var mean = x.Average();
        double numerator = 0, denominator = 0;
        for (var i = 0; i < x.Length; i++)
        {
            denominator += (x[i] - mean) * (x[i] - mean);
            if (i > 0)
            {
                numerator += (x[i] - mean) * (x[i - 1] - mean);
            }
        }
        return numerator / denominator;
    }
}
