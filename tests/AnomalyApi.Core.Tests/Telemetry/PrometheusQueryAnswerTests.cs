using AnomalyApi.Core.Telemetry;

namespace AnomalyApi.Core.Tests.Telemetry;

/// <summary>
/// Answers in the shape Prometheus 2.x's /api/v1/query gives (the same shapes the collector's integration tests get
/// from Debian's real Prometheus).
/// </summary>
public sealed class PrometheusQueryAnswerTests
{
    private static string Vector(params string[] samples) =>
        """{"status":"success","data":{"resultType":"vector","result":[""" + string.Join(",", samples) + "]}}";

    private static string Sample(string value, string labels = "\"__name__\":\"node_memory_MemFree_bytes\",\"instance\":\"127.0.0.1:9100\",\"job\":\"node\"") =>
        $$"""{"metric":{{{labels}}},"value":[1763900000.123,"{{value}}"]}""";

    [Theory]
    [InlineData("0.0123", 0.0123)]
    [InlineData("1.6106127e+10", 1.6106127e10)]
    [InlineData("-3", -3)]
    public void Parse_WithAOneSampleVector_GivesItsValue(string text, double expected)
    {
        var answer = PrometheusQueryAnswer.Parse(Vector(Sample(text)));

        Assert.Null(answer.Problem);
        Assert.Equal(expected, answer.Value);
    }

    [Theory]
    [InlineData("NaN", double.NaN)]
    [InlineData("+Inf", double.PositiveInfinity)]
    [InlineData("-Inf", double.NegativeInfinity)]
    public void Parse_WithNaNOrInfinity_GivesItAsIs(string text, double expected)
    {
        var answer = PrometheusQueryAnswer.Parse(Vector(Sample(text)));

        Assert.Null(answer.Problem);
        Assert.Equal(expected, answer.Value);
    }

    [Fact]
    public void Parse_WithAScalar_GivesItsValue()
    {
        var answer = PrometheusQueryAnswer.Parse("""{"status":"success","data":{"resultType":"scalar","result":[1763900000.5,"4"]}}""");

        Assert.Equal(4, answer.Value);
        Assert.Null(answer.Problem);
    }

    [Fact]
    public void Parse_WithAnEmptyVector_SaysNoSamples()
    {
        var answer = PrometheusQueryAnswer.Parse(Vector());

        Assert.Null(answer.Value);
        Assert.StartsWith("returned no samples", answer.Problem);
    }

    [Fact]
    public void Parse_WithSeveralSamples_CountsThemAndNamesTheFirstSeries()
    {
        var samples = Enumerable.Range(0, 4)
            .Select(cpu => Sample("1", $"\"__name__\":\"node_cpu_seconds_total\",\"cpu\":\"{cpu}\",\"mode\":\"idle\""))
            .ToArray();

        var answer = PrometheusQueryAnswer.Parse(Vector(samples));

        Assert.Null(answer.Value);
        Assert.Equal(
            "returned 4 samples (node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"}, node_cpu_seconds_total{cpu=\"1\",mode=\"idle\"}, "
            + "node_cpu_seconds_total{cpu=\"2\",mode=\"idle\"}, ...), one feature needs exactly one: aggregate them (sum, avg, max) or select one series",
            answer.Problem);
    }

    [Fact]
    public void Parse_WithAnErrorAnswer_GivesItsTypeAndMessage()
    {
        var answer = PrometheusQueryAnswer.Parse(
            """{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:5: parse error: unclosed left parenthesis"}""");

        Assert.Null(answer.Value);
        Assert.Equal("failed (bad_data): invalid parameter \"query\": 1:5: parse error: unclosed left parenthesis", answer.Problem);
    }

    [Theory]
    [InlineData("matrix", "[]", "returned a range vector, not one number")]
    [InlineData("string", "[1763900000,\"hello\"]", "returned a string, not a number")]
    public void Parse_WithAResultThatIsNotANumber_SaysWhatItIs(string type, string result, string problem)
    {
        var answer = PrometheusQueryAnswer.Parse(
            """{"status":"success","data":{"resultType":""" + $"\"{type}\",\"result\":{result}}}}}");

        Assert.Null(answer.Value);
        Assert.StartsWith(problem, answer.Problem);
    }

    [Theory]
    [InlineData("<html>502 Bad Gateway</html>", "the answer is not JSON")]
    [InlineData("{\"data\":{}}", "the answer is JSON without a \"status\"")]
    [InlineData("{\"status\":\"success\"}", "the answer has no data.resultType and data.result")]
    [InlineData("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1,\"x\"]}]}}", "the answer's vector sample value \"x\" is not a number")]
    public void Parse_WithSomethingThatIsNotPrometheusApi_Throws(string body, string message)
    {
        var ex = Assert.Throws<PrometheusApiException>(() => PrometheusQueryAnswer.Parse(body));

        Assert.StartsWith(message, ex.Message);
    }

    [Theory]
    [InlineData("http://127.0.0.1:9090", "http://127.0.0.1:9090/api/v1/query")]
    [InlineData("http://127.0.0.1:9090/", "http://127.0.0.1:9090/api/v1/query")]
    [InlineData("http://proxy/prometheus", "http://proxy/prometheus/api/v1/query")]
    [InlineData("http://proxy/prometheus/?x=1", "http://proxy/prometheus/api/v1/query")]
    public void QueryUrlFor_AppendsTheApiPathKeepingAnyPrefix(string baseUrl, string expected)
    {
        Assert.Equal(expected, PrometheusQueryFeed.QueryUrlFor(new Uri(baseUrl)).ToString());
    }
}
