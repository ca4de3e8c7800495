using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AnomalyApi.Core.Telemetry;

/// <summary>
/// What one instant query (<c>/api/v1/query</c>) answered, reduced to what a feature needs: one number, or why there
/// is none. A vector must hold exactly one sample (zero or several cannot be one feature); a scalar is its value.
/// The value is as Prometheus gave it, NaN and infinities included; the caller decides whether those are usable.
/// </summary>
/// <param name="Value">The number, when the answer held exactly one.</param>
/// <param name="Problem">Why there is no number, in words (e.g. <c>returned no samples</c>), else null.</param>
public sealed record PrometheusQueryAnswer(double? Value, string? Problem)
{
    /// <summary>Samples named in a "returned N samples" problem: enough to see which label differs.</summary>
    private const int ShownSeries = 3;

    /// <summary>Reads the JSON body of an <c>/api/v1/query</c> answer (either status).</summary>
    /// <exception cref="PrometheusApiException">The body is not the API's JSON envelope.</exception>
    public static PrometheusQueryAnswer Parse(ReadOnlySpan<byte> json)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(json);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            throw new PrometheusApiException($"the answer is not JSON ({ex.Message.Split('\n', 2)[0]})", ex);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.String)
            {
                throw new PrometheusApiException("the answer is JSON without a \"status\": not Prometheus's HTTP API");
            }
            if (status.ValueEquals("error"))
            {
                var type = root.TryGetProperty("errorType", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : "error";
                var error = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : "(no message)";
                return Fail($"failed ({type}): {error}");
            }
            if (!status.ValueEquals("success"))
            {
                throw new PrometheusApiException($"the answer's status is \"{status.GetString()}\", neither success nor error");
            }
            if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object
                || !data.TryGetProperty("resultType", out var resultType) || resultType.ValueKind != JsonValueKind.String
                || !data.TryGetProperty("result", out var result))
            {
                throw new PrometheusApiException("the answer has no data.resultType and data.result");
            }
            return resultType.GetString() switch
            {
                "vector" => FromVector(result),
                "scalar" => FromSample(result, "scalar"),
                "matrix" => Fail("returned a range vector, not one number: drop the [range] or wrap it in a function such as rate()"),
                "string" => Fail("returned a string, not a number"),
                var other => Fail($"returned a result of type \"{other}\", not a number"),
            };
        }
    }

    /// <inheritdoc cref="Parse(ReadOnlySpan{byte})"/>
    public static PrometheusQueryAnswer Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>
    /// Reads a sample value as Prometheus writes it: a Go float in a string, or <c>NaN</c>, <c>+Inf</c>, <c>-Inf</c>.
    /// </summary>
    public static bool TryParseValue(string? text, out double value)
    {
        switch (text)
        {
            case "NaN":
                value = double.NaN;
                return true;
            case "+Inf" or "Inf":
                value = double.PositiveInfinity;
                return true;
            case "-Inf":
                value = double.NegativeInfinity;
                return true;
            case null:
                value = 0;
                return false;
            default:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
        }
    }

    private static PrometheusQueryAnswer FromVector(JsonElement result)
    {
        if (result.ValueKind != JsonValueKind.Array)
        {
            throw new PrometheusApiException("the answer's vector result is not an array");
        }
        var count = result.GetArrayLength();
        if (count == 0)
        {
            return Fail("returned no samples (no such series, or none in the last 5 minutes)");
        }
        if (count > 1)
        {
            var shown = string.Join(", ", result.EnumerateArray().Take(ShownSeries).Select(DescribeSeries));
            var more = count > ShownSeries ? ", ..." : "";
            return Fail($"returned {count} samples ({shown}{more}), one feature needs exactly one: aggregate them (sum, avg, max) or select one series");
        }
        var sample = result[0];
        if (sample.ValueKind != JsonValueKind.Object || !sample.TryGetProperty("value", out var value))
        {
            // Native histograms come as "histogram", not "value": not one number either.
            return sample.ValueKind == JsonValueKind.Object && sample.TryGetProperty("histogram", out _)
                ? Fail("returned a native histogram, not a number: take histogram_quantile() or histogram_sum() of it")
                : throw new PrometheusApiException("the answer's vector sample has no \"value\"");
        }
        return FromSample(value, "vector sample");
    }

    // [ <unix time>, "<value>" ]
    private static PrometheusQueryAnswer FromSample(JsonElement pair, string what)
    {
        if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2 || pair[1].ValueKind != JsonValueKind.String)
        {
            throw new PrometheusApiException($"the answer's {what} is not [time, \"value\"]");
        }
        var text = pair[1].GetString();
        return TryParseValue(text, out var number)
            ? new PrometheusQueryAnswer(number, null)
            : throw new PrometheusApiException($"the answer's {what} value \"{text}\" is not a number");
    }

    private static string DescribeSeries(JsonElement sample)
    {
        if (sample.ValueKind != JsonValueKind.Object || !sample.TryGetProperty("metric", out var metric) || metric.ValueKind != JsonValueKind.Object)
        {
            return "{}";
        }
        var name = metric.TryGetProperty("__name__", out var n) ? n.GetString() : "";
        var labels = metric.EnumerateObject()
            .Where(static l => l.Name != "__name__")
            .Select(static l => $"{l.Name}=\"{l.Value.GetString()}\"");
        return $"{name}{{{string.Join(",", labels)}}}";
    }

    private static PrometheusQueryAnswer Fail(string problem) => new(null, problem);
}
