using System.Globalization;
using AnomalyApi.Core.Telemetry;

namespace AnomalyApi.Core.Tests.Telemetry;

public class PrometheusTextParserTests
{
    private static MetricSample ParseOne(string text) => Assert.Single(PrometheusTextParser.Parse(text));

    [Fact]
    public void Parse_HelpTypeAndOtherComments_AreSkipped()
    {
        const string text = """
            # HELP node_load1 1m load average.
            # TYPE node_load1 gauge
            #just a comment
              # an indented comment
            node_load1 0.25
            """;

        var sample = ParseOne(text);

        Assert.Equal("node_load1", sample.Name);
        Assert.Equal(0.25, sample.Value);
    }

    [Fact]
    public void Parse_BlankAndWhitespaceOnlyLines_AreSkipped()
    {
        var samples = PrometheusTextParser.Parse("\n\na 1\n   \n\t\nb 2\n\n");

        Assert.Equal(["a", "b"], samples.Select(s => s.Name));
    }

    [Fact]
    public void Parse_EmptyText_ReturnsNoSamples()
    {
        Assert.Empty(PrometheusTextParser.Parse(""));
    }

    [Fact]
    public void Parse_MetricNameWithColons_KeepsTheColons()
    {
        var sample = ParseOne("job:http_requests:rate5m 3");

        Assert.Equal("job:http_requests:rate5m", sample.Name);
    }

    [Fact]
    public void Parse_EmptyBraces_GiveNoLabels()
    {
        var sample = ParseOne("up{} 1");

        Assert.Equal("up", sample.Name);
        Assert.Empty(sample.Labels);
        Assert.Equal(1, sample.Value);
    }

    [Fact]
    public void Parse_EscapesInLabelValue_AreUndone()
    {
        var sample = ParseOne("""m{path="C:\\dir\\file",quote="say \"hi\"",lines="one\ntwo"} 1""");

        Assert.Equal(@"C:\dir\file", sample.Labels["path"]);
        Assert.Equal("say \"hi\"", sample.Labels["quote"]);
        Assert.Equal("one\ntwo", sample.Labels["lines"]);
    }

    [Fact]
    public void Parse_LabelValueWithCommaBraceEqualsAndSpaces_IsKeptWhole()
    {
        var sample = ParseOne("""m{a="x, y} = z { w",b="2"} 7""");

        Assert.Equal("x, y} = z { w", sample.Labels["a"]);
        Assert.Equal("2", sample.Labels["b"]);
        Assert.Equal(7, sample.Value);
    }

    [Fact]
    public void Parse_TrailingCommaInLabelSet_IsAllowed()
    {
        var sample = ParseOne("""m{a="1",b="2",} 3""");

        Assert.Equal(2, sample.Labels.Count);
        Assert.Equal("2", sample.Labels["b"]);
    }

    [Fact]
    public void Parse_WhitespaceBetweenTokens_IsAllowed()
    {
        var sample = ParseOne("  m \t{ a = \"1\" ,\tb=\"2\" , }   4.5 \t 1700000000000  ");

        Assert.Equal("m", sample.Name);
        Assert.Equal("1", sample.Labels["a"]);
        Assert.Equal("2", sample.Labels["b"]);
        Assert.Equal(4.5, sample.Value);
        Assert.Equal(1_700_000_000_000, sample.TimestampMs);
    }

    [Theory]
    [InlineData("NaN", double.NaN)]
    [InlineData("+Inf", double.PositiveInfinity)]
    [InlineData("-Inf", double.NegativeInfinity)]
    [InlineData("Inf", double.PositiveInfinity)]
    [InlineData("1.5e+09", 1.5e9)]
    [InlineData("2.527602688e+10", 2.527602688e10)]
    [InlineData("-3.25E-3", -0.00325)]
    [InlineData("42", 42d)]
    [InlineData("-0.5", -0.5)]
    [InlineData(".5", 0.5)]
    public void Parse_SpecialAndExponentValues_ReadAsDoubles(string token, double expected)
    {
        var sample = ParseOne($"m {token}");

        Assert.Equal(expected, sample.Value);
    }

    [Theory]
    [InlineData("m 1 1395066363000", 1_395_066_363_000L)]
    [InlineData("m 1 -1395066363000", -1_395_066_363_000L)]
    [InlineData("m{a=\"b\"} 1 0", 0L)]
    public void Parse_Timestamp_IsReadAsMilliseconds(string line, long expected)
    {
        Assert.Equal(expected, ParseOne(line).TimestampMs);
    }

    [Fact]
    public void Parse_NoTimestamp_GivesNull()
    {
        Assert.Null(ParseOne("m 1").TimestampMs);
    }

    [Fact]
    public void Parse_WindowsLineEndings_AreHandled()
    {
        var samples = PrometheusTextParser.Parse("# TYPE a gauge\r\na{x=\"1\"} 1\r\nb 2 5\r\n");

        Assert.Equal(2, samples.Count);
        Assert.Equal("1", samples[0].Labels["x"]);
        Assert.Equal(2, samples[1].Value);
        Assert.Equal(5, samples[1].TimestampMs);
    }

    [Fact]
    public void Parse_TextReader_ReadsToTheEnd()
    {
        using var reader = new StringReader("a 1\nb 2\n");

        Assert.Equal(2, PrometheusTextParser.Parse(reader).Count);
    }

    [Fact]
    public void Parse_InACommaDecimalCulture_StillReadsDecimalPoints()
    {
        // The project runs with invariant globalization, so build a comma-decimal culture by hand.
        var commaDecimal = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        commaDecimal.NumberFormat.NumberDecimalSeparator = ",";
        commaDecimal.NumberFormat.NumberGroupSeparator = ".";
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = commaDecimal;
            Assert.Equal(1.5, ParseOne("m 1.5").Value);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }
}
