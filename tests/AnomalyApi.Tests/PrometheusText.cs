using System.Globalization;
using System.Text.RegularExpressions;

namespace AnomalyApi.Tests;

/// <summary>Reads samples out of /metrics' Prometheus exposition text.</summary>
public static partial class PrometheusText
{
    /// <summary>
    /// The value of the sample <paramref name="name"/>{<paramref name="labels"/>} (labels "" for an unlabelled series);
    /// <paramref name="missing"/> when there is none, or, without it, a failed test.
    /// </summary>
    public static double Sample(string exposition, string name, string labels = "", double? missing = null)
    {
        foreach (var line in exposition.Split('\n'))
        {
            var match = SampleLine().Match(line);
            if (match.Success && match.Groups["name"].Value == name && match.Groups["labels"].Value == labels)
            {
                return double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }
        return missing ?? throw new Xunit.Sdk.XunitException($"no sample {name}{{{labels}}} in /metrics");
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)")]
    private static partial Regex SampleLine();
}
