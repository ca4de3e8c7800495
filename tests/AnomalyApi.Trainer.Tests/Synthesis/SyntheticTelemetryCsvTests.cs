using System.Globalization;
using AnomalyApi.Core.Features;
using AnomalyApi.Trainer.Synthesis;

namespace AnomalyApi.Trainer.Tests.Synthesis;

public class SyntheticTelemetryCsvTests
{
    [Fact]
    public void Write_WithLabels_WritesHeaderThenOneLinePerRow()
    {
        var telemetry = TelemetrySimulator.Generate(new SynthOptions(Cpus: 2, Rows: 500, Seed: 1, InjectAnomalies: true));

        var lines = WriteLines(telemetry);

        Assert.Equal(["timestamp", .. NodeFeatureNames.For(2), "label"], lines[0].Split(','));
        Assert.Equal(501, lines.Length);
        Assert.All(lines, line => Assert.Equal(1 + 22 + 1, line.Split(',').Length));
    }

    [Fact]
    public void Write_WithoutLabels_OmitsTheLabelColumn()
    {
        var telemetry = TelemetrySimulator.Generate(new SynthOptions(Cpus: 1, Rows: 10, Seed: 1));

        var lines = WriteLines(telemetry);

        Assert.Equal(["timestamp", .. NodeFeatureNames.For(1)], lines[0].Split(','));
        Assert.Equal(11, lines.Length);
    }

    [Fact]
    public void Write_NumbersParseBackToTheExactValues()
    {
        var telemetry = TelemetrySimulator.Generate(new SynthOptions(Cpus: 2, Rows: 500, Seed: 8, InjectAnomalies: true));

        var lines = WriteLines(telemetry);

        for (var r = 0; r < telemetry.Rows.Length; r++)
        {
            var fields = lines[r + 1].Split(',');
            Assert.Equal(telemetry.Timestamps[r], long.Parse(fields[0], CultureInfo.InvariantCulture));
            Assert.Equal(telemetry.Rows[r], fields[1..^1].Select(f => double.Parse(f, CultureInfo.InvariantCulture)));
            Assert.Equal(telemetry.Labels![r], int.Parse(fields[^1], CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void Write_WithMismatchedLabels_Throws()
    {
        var telemetry = TelemetrySimulator.Generate(new SynthOptions(Cpus: 1, Rows: 10, Seed: 1));
        var broken = new SyntheticTelemetry
        {
            Columns = telemetry.Columns,
            Timestamps = telemetry.Timestamps,
            Rows = telemetry.Rows,
            Labels = new int[9],
            Episodes = [],
        };

        Assert.Throws<ArgumentException>(() => SyntheticTelemetryCsv.Write(TextWriter.Null, broken));
    }

    private static string[] WriteLines(SyntheticTelemetry telemetry)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        SyntheticTelemetryCsv.Write(writer, telemetry);
        var text = writer.ToString();
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        return text.TrimEnd('\n').Split('\n');
    }
}
