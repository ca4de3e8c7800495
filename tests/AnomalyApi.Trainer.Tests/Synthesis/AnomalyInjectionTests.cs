using AnomalyApi.Trainer.Synthesis;

namespace AnomalyApi.Trainer.Tests.Synthesis;

public class AnomalyInjectionTests
{
    private const int RowsPerDay = 86_400 / 15;

    private static readonly SyntheticTelemetry Day =
        TelemetrySimulator.Generate(new SynthOptions(Cpus: 4, Rows: RowsPerDay, Seed: 2026, InjectAnomalies: true));

    [Fact]
    public void Labels_AreOneExactlyOnEpisodeRows()
    {
        var expected = new int[RowsPerDay];
        foreach (var episode in Day.Episodes)
        {
            for (var r = episode.StartRow; r < episode.EndRow; r++)
            {
                expected[r] = 1;
            }
        }

        Assert.Equal(expected, Day.Labels);
    }

    [Theory]
    [InlineData(TelemetrySimulator.MinRowsForAnomalies, 1)]
    [InlineData(TelemetrySimulator.MinRowsForAnomalies, 2)]
    [InlineData(1000, 3)]
    [InlineData(5760, 4)]
    [InlineData(20_000, 5)]
    public void Labels_CoverFiveToTenPercentOfRows(int rows, int seed)
    {
        var telemetry = TelemetrySimulator.Generate(new SynthOptions(Cpus: 1, Rows: rows, Seed: seed, InjectAnomalies: true));

        var fraction = telemetry.Labels!.Average();

        Assert.InRange(fraction, 0.05, 0.10);
    }

    [Fact]
    public void Episodes_Are10To60RowsSeparatedByNormalRows()
    {
        Assert.All(Day.Episodes, e => Assert.InRange(e.Length, 10, 60));
        Assert.True(Day.Episodes[0].StartRow > 0);
        Assert.True(Day.Episodes[^1].EndRow < RowsPerDay);
        for (var i = 1; i < Day.Episodes.Count; i++)
        {
            // A gap of at least one normal row keeps every episode its own labelled segment.
            Assert.True(Day.Episodes[i].StartRow > Day.Episodes[i - 1].EndRow);
        }
    }

    [Fact]
    public void Episodes_AreSpreadOverTheSeries()
    {
        var quarters = Day.Episodes.Select(e => e.StartRow * 4 / RowsPerDay).Distinct().Count();

        Assert.Equal(4, quarters);
    }

    [Fact]
    public void Episodes_IncludeEveryKindOnADayOfData()
    {
        Assert.Equal(Enum.GetValues<AnomalyKind>(), Day.Episodes.Select(e => e.Kind).Distinct().Order());
    }

    [Fact]
    public void CpuSaturation_LeavesAtLeastHalfTheCpusAlmostNoIdle()
    {
        foreach (var r in RowsOf(AnomalyKind.CpuSaturation))
        {
            var saturated = Enumerable.Range(0, 4)
                .Where(cpu => Day.Cpu(r, cpu, "idle") < 0.15 && Day.Cpu(r, cpu, "user") + Day.Cpu(r, cpu, "system") > 0.9)
                .Count();
            Assert.True(saturated >= 2, $"row {r}: {saturated} saturated CPUs");
        }
    }

    [Fact]
    public void IowaitStorm_PutsEveryCpuBetween30And60PercentIowait()
    {
        foreach (var r in RowsOf(AnomalyKind.IowaitStorm))
        {
            // The storm's share plus the normal, small iowait squeezed into what is left.
            Assert.All(Enumerable.Range(0, 4), cpu => Assert.InRange(Day.Cpu(r, cpu, "iowait"), 0.3, 0.62));
        }
    }

    [Fact]
    public void StealSpike_PutsEveryCpuBetween20And50PercentSteal()
    {
        foreach (var r in RowsOf(AnomalyKind.StealSpike))
        {
            Assert.All(Enumerable.Range(0, 4), cpu => Assert.InRange(Day.Cpu(r, cpu, "steal"), 0.2, 0.51));
        }
    }

    [Fact]
    public void MemoryLeak_DrainsAvailableMemoryAndShrinksTheCache()
    {
        foreach (var episode in Day.Episodes.Where(e => e.Kind == AnomalyKind.MemoryLeak))
        {
            int first = episode.StartRow, last = episode.EndRow - 1;
            var total = Day.Value(first, "node_memory_MemTotal_bytes");

            Assert.True(Day.Value(last, "memory_used_bytes") - Day.Value(first, "memory_used_bytes") > 0.1 * total);
            Assert.True(Day.Value(last, "node_memory_Cached_bytes") < Day.Value(first, "node_memory_Cached_bytes"));
            // Steadily: available memory falls from row to row, except where the leak reaches its cap and
            // only the noise moves it.
            var falls = Enumerable.Range(first + 1, last - first)
                .Count(r => Day.Value(r, "node_memory_MemAvailable_bytes") < Day.Value(r - 1, "node_memory_MemAvailable_bytes"));
            Assert.True(falls >= 0.9 * (last - first), $"available fell on {falls} of {last - first} rows");
        }
    }

    [Fact]
    public void NormalRows_StayOutsideTheAnomalyBands()
    {
        for (var r = 0; r < RowsPerDay; r++)
        {
            if (Day.Labels![r] == 0)
            {
                Assert.All(Enumerable.Range(0, 4), cpu =>
                {
                    Assert.True(Day.Cpu(r, cpu, "iowait") < 0.1);
                    Assert.True(Day.Cpu(r, cpu, "steal") < 0.05);
                    Assert.True(Day.Cpu(r, cpu, "idle") > 0.15);
                });
            }
        }
    }

    [Fact]
    public void Injection_LeavesRowsOutsideEpisodesAsTheCleanSeriesHasThem()
    {
        var clean = TelemetrySimulator.Generate(new SynthOptions(Cpus: 4, Rows: RowsPerDay, Seed: 2026));

        for (var r = 0; r < RowsPerDay; r++)
        {
            if (Day.Labels![r] == 0)
            {
                Assert.Equal(clean.Rows[r], Day.Rows[r]);
            }
        }
    }

    private static IEnumerable<int> RowsOf(AnomalyKind kind)
    {
        var rows = Day.Episodes.Where(e => e.Kind == kind).SelectMany(e => Enumerable.Range(e.StartRow, e.Length)).ToList();
        Assert.NotEmpty(rows);
        return rows;
    }
}
