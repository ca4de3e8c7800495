using AnomalyApi.Core.Telemetry;

namespace AnomalyApi.Core.Tests.Telemetry;

public class PrometheusTextParserRealScrapeTests
{
    [Theory]
    [InlineData("scrape1.prom")]
    [InlineData("scrape2.prom")]
    public void Parse_RealNodeExporterScrape_ReturnsOneSamplePerSampleLine(string file)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TestData", "node_exporter", file);
        var sampleLines = File.ReadLines(path).Count(l => l.Length > 0 && !l.StartsWith('#'));

        var samples = PrometheusTextParser.Parse(File.ReadAllText(path));

        Assert.True(sampleLines > 500, $"the fixture should be a full scrape, has {sampleLines} sample lines");
        Assert.Equal(sampleLines, samples.Count);
    }

    [Fact]
    public void Parse_RealScrape_ReadsCpuCounterAsTheFileShowsIt()
    {
        const string series = "node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"}";
        var expected = NodeExporterScrapes.GrepValue(NodeExporterScrapes.FirstPath, series);

        var sample = Assert.Single(NodeExporterScrapes.First,
            s => s.Name == "node_cpu_seconds_total" && s.Labels["cpu"] == "0" && s.Labels["mode"] == "idle");

        Assert.Equal(expected, sample.Value);
        Assert.Equal(2, sample.Labels.Count);
        Assert.Null(sample.TimestampMs);
    }

    [Fact]
    public void Parse_RealScrape_ReadsMemTotalInExponentNotation()
    {
        var expected = NodeExporterScrapes.GrepValue(NodeExporterScrapes.FirstPath, "node_memory_MemTotal_bytes");

        var sample = Assert.Single(NodeExporterScrapes.First, s => s.Name == "node_memory_MemTotal_bytes");

        Assert.Equal(expected, sample.Value);
        Assert.Empty(sample.Labels);
    }

    [Fact]
    public void Parse_RealScrapeWithWindowsLineEndings_ReturnsTheSameSamples()
    {
        var text = File.ReadAllText(NodeExporterScrapes.FirstPath).ReplaceLineEndings("\r\n");

        var samples = PrometheusTextParser.Parse(text);

        Assert.Equal(NodeExporterScrapes.First.Count, samples.Count);
        Assert.Equal(
            NodeExporterScrapes.First.Select(s => (s.Name, s.Value)),
            samples.Select(s => (s.Name, s.Value)));
    }
}
