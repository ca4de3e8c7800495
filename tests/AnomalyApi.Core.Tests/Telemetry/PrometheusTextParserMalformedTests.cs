using AnomalyApi.Core.Telemetry;

namespace AnomalyApi.Core.Tests.Telemetry;

public class PrometheusTextParserMalformedTests
{
    /// <summary>Puts the bad line third, after a comment and a good sample, so the line number is checked.</summary>
    private static PrometheusFormatException ParseThirdLine(string badLine) =>
        Assert.Throws<PrometheusFormatException>(() => PrometheusTextParser.Parse($"# TYPE m gauge\ngood 1\n{badLine}\nafter 2\n"));

    [Theory]
    [InlineData("m{a=\"unterminated} 1", "not terminated")]
    [InlineData("m{a=\"x\"}", "has no value")]
    [InlineData("m", "has no value")]
    [InlineData("m{a=\"x\\t\"} 1", "invalid escape '\\t'")]
    [InlineData("m{a=\"x\\", "lone '\\'")]
    [InlineData("m{a=\"x\"} abc", "'abc' is not a valid value")]
    [InlineData("m 1,5", "'1,5' is not a valid value")]
    [InlineData("m{a=\"x\" 1", "expected ','")]
    [InlineData("m{a=\"x\",", "not closed")]
    [InlineData("m{a=x} 1", "expected '\"'")]
    [InlineData("m{a} 1", "expected '='")]
    [InlineData("m{1a=\"x\"} 1", "expected a label name")]
    [InlineData("m{a=\"x\",a=\"y\"} 1", "label 'a' appears twice")]
    [InlineData("m 1 12.5", "'12.5' is not a valid timestamp")]
    [InlineData("m 1 2 3", "unexpected text after the timestamp")]
    [InlineData("9m 1", "expected a metric name")]
    [InlineData("{a=\"x\"} 1", "expected a metric name")]
    public void Parse_MalformedLine_ThrowsNamingTheLineAndProblem(string badLine, string problem)
    {
        var error = ParseThirdLine(badLine);

        Assert.Equal(3, error.LineNumber);
        Assert.Contains(problem, error.Problem);
        Assert.StartsWith("Prometheus text format error on line 3: ", error.Message);
    }

    [Fact]
    public void Parse_MalformedLineAfterWindowsLineEndings_CountsLinesCorrectly()
    {
        var error = Assert.Throws<PrometheusFormatException>(
            () => PrometheusTextParser.Parse("a 1\r\n\r\nb{x=\"1\" 2\r\n"));

        Assert.Equal(3, error.LineNumber);
    }
}
