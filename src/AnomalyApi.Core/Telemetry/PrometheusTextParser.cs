using System.Collections.ObjectModel;
using System.Globalization;

namespace AnomalyApi.Core.Telemetry;

/// <summary>
/// Parses the Prometheus text exposition format, version 0.0.4 (what node_exporter serves at /metrics).
/// Comments, including <c># HELP</c> and <c># TYPE</c>, and blank lines are skipped: the feature code
/// needs only the samples. Numbers are read in the invariant culture whatever the machine's locale.
/// </summary>
public static class PrometheusTextParser
{
    private static readonly IReadOnlyDictionary<string, string> NoLabels =
        ReadOnlyDictionary<string, string>.Empty;

    /// <summary>Parses a whole exposition document.</summary>
    /// <exception cref="PrometheusFormatException">A line is malformed; the message names it.</exception>
    public static IReadOnlyList<MetricSample> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var reader = new StringReader(text);
        return Parse(reader);
    }

    /// <summary>Parses an exposition document from <paramref name="reader"/> to its end.</summary>
    /// <exception cref="PrometheusFormatException">A line is malformed; the message names it.</exception>
    public static IReadOnlyList<MetricSample> Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var samples = new List<MetricSample>();
        var lineNumber = 0;
        // ReadLine splits on \n, \r\n and \r alike, so Windows line endings need nothing more.
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (ParseLine(line, lineNumber) is { } sample)
            {
                samples.Add(sample);
            }
        }
        return samples;
    }

    /// <summary>Parses one line; null for blank lines and comments.</summary>
    internal static MetricSample? ParseLine(string line, int lineNumber)
    {
        var cursor = new LineCursor(line, lineNumber);
        cursor.SkipWhitespace();
        if (cursor.AtEnd || cursor.Peek == '#')
        {
            return null;
        }

        var name = cursor.ReadName(allowColon: true, "a metric name");
        cursor.SkipWhitespace();
        var labels = cursor.Peek == '{' ? ReadLabels(ref cursor) : NoLabels;

        cursor.SkipWhitespace();
        var valueToken = cursor.ReadToken();
        if (valueToken.IsEmpty)
        {
            throw cursor.Fail($"sample '{name}' has no value");
        }
        var value = ParseValue(valueToken)
            ?? throw cursor.Fail($"'{valueToken}' is not a valid value for sample '{name}'");

        cursor.SkipWhitespace();
        long? timestamp = null;
        if (!cursor.AtEnd)
        {
            var timestampToken = cursor.ReadToken();
            if (!long.TryParse(timestampToken, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms))
            {
                throw cursor.Fail(
                    $"'{timestampToken}' is not a valid timestamp for sample '{name}' (integer milliseconds expected)");
            }
            timestamp = ms;
            cursor.SkipWhitespace();
            if (!cursor.AtEnd)
            {
                throw cursor.Fail($"unexpected text after the timestamp of sample '{name}'");
            }
        }

        return new MetricSample(name, labels, value, timestamp);
    }

    /// <summary>Reads <c>{name="value",...}</c>, allowing <c>{}</c> and a trailing comma.</summary>
    private static IReadOnlyDictionary<string, string> ReadLabels(ref LineCursor cursor)
    {
        cursor.Expect('{', "to open the label set");
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        while (true)
        {
            cursor.SkipWhitespace();
            if (cursor.TryConsume('}'))
            {
                break;
            }
            if (cursor.AtEnd)
            {
                throw cursor.Fail("the label set is not closed by '}'");
            }

            var labelName = cursor.ReadName(allowColon: false, "a label name or '}'");
            cursor.SkipWhitespace();
            cursor.Expect('=', $"after label name '{labelName}'");
            cursor.SkipWhitespace();
            var labelValue = cursor.ReadQuoted(labelName);
            if (!labels.TryAdd(labelName, labelValue))
            {
                throw cursor.Fail($"label '{labelName}' appears twice");
            }

            cursor.SkipWhitespace();
            if (cursor.TryConsume('}'))
            {
                break;
            }
            cursor.Expect(',', $"or '}}' after the value of label '{labelName}'");
        }
        return labels.Count == 0 ? NoLabels : labels.AsReadOnly();
    }

    /// <summary>
    /// Go's ParseFloat, as the exporters write it: decimal or exponent notation, NaN and the infinities
    /// in any case. Null when the token is none of these.
    /// </summary>
    private static double? ParseValue(ReadOnlySpan<char> token)
    {
        if (token.Equals("NaN", StringComparison.OrdinalIgnoreCase))
        {
            return double.NaN;
        }
        var sign = token[0] is '+' or '-' ? token[..1] : [];
        var unsigned = token[sign.Length..];
        if (unsigned.Equals("Inf", StringComparison.OrdinalIgnoreCase)
            || unsigned.Equals("Infinity", StringComparison.OrdinalIgnoreCase))
        {
            return sign is "-" ? double.NegativeInfinity : double.PositiveInfinity;
        }
        // NumberStyles.Float without the whitespace flags; the invariant culture's own NaN and
        // infinity symbols were handled above, so anything else that parses is a plain number.
        const NumberStyles styles = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
        return double.TryParse(token, styles, CultureInfo.InvariantCulture, out var value) ? value : null;
    }
}
