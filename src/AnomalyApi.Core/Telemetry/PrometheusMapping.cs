using System.Text.Json;

namespace AnomalyApi.Core.Telemetry;

/// <summary>
/// Which PromQL expression gives each model feature: a JSON object from feature name to expression, e.g.
/// <c>{"cpu_0_user": "sum(rate(node_cpu_seconds_total{cpu=\"0\",mode=\"user\"}[1m]))"}</c>. Comments and trailing
/// commas are allowed (it is edited by hand). Features the model does not use are allowed and never queried, so one
/// file can serve several models; a feature the model needs without an expression is reported by
/// <see cref="MissingFor"/>.
/// </summary>
public sealed class PrometheusMapping
{
    private static readonly JsonDocumentOptions ReadOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private readonly Dictionary<string, string> _expressions;

    private PrometheusMapping(string path, Dictionary<string, string> expressions)
    {
        Path = path;
        _expressions = expressions;
    }

    /// <summary>The file the mapping was read from (for messages).</summary>
    public string Path { get; }

    /// <summary>Feature name → PromQL expression.</summary>
    public IReadOnlyDictionary<string, string> Expressions => _expressions;

    /// <summary>Reads and checks the mapping file at <paramref name="path"/>.</summary>
    /// <exception cref="PrometheusMappingException">The file cannot be read or is not a mapping.</exception>
    public static PrometheusMapping Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PrometheusMappingException(path, ex is FileNotFoundException or DirectoryNotFoundException
                ? "the file does not exist"
                : $"cannot be read: {ex.Message}", ex);
        }
        return Parse(json, path);
    }

    /// <summary>Checks <paramref name="json"/>, the content of <paramref name="path"/>.</summary>
    /// <exception cref="PrometheusMappingException">It is not a JSON object of non-empty strings.</exception>
    public static PrometheusMapping Parse(string json, string path)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(path);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, ReadOptions);
        }
        catch (JsonException ex)
        {
            throw new PrometheusMappingException(path, $"is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}): {FirstLine(ex.Message)}", ex);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new PrometheusMappingException(path, $"must be a JSON object from feature name to PromQL expression, not {Describe(root.ValueKind)}");
            }
            var expressions = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                var key = property.Name;
                if (string.IsNullOrWhiteSpace(key))
                {
                    throw new PrometheusMappingException(path, "a key is empty: each key must be a feature name");
                }
                if (property.Value.ValueKind != JsonValueKind.String)
                {
                    throw new PrometheusMappingException(path, $"\"{key}\" must be a PromQL expression in a string, not {Describe(property.Value.ValueKind)}");
                }
                var expression = property.Value.GetString()!;
                if (string.IsNullOrWhiteSpace(expression))
                {
                    throw new PrometheusMappingException(path, $"\"{key}\" has an empty expression");
                }
                if (!expressions.TryAdd(key, expression.Trim()))
                {
                    throw new PrometheusMappingException(path, $"\"{key}\" appears more than once");
                }
            }
            if (expressions.Count == 0)
            {
                throw new PrometheusMappingException(path, "maps no features");
            }
            return new PrometheusMapping(path, expressions);
        }
    }

    /// <summary>The features of <paramref name="features"/> that have no expression here, in their order.</summary>
    public IReadOnlyList<string> MissingFor(IEnumerable<string> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        return [.. features.Where(f => !_expressions.ContainsKey(f))];
    }

    /// <summary>"has no expression for cpu_3_idle, cpu_3_user (and 6 more) that the model needs", for messages.</summary>
    public static string DescribeMissing(IReadOnlyList<string> missing, int shown = 5)
    {
        ArgumentNullException.ThrowIfNull(missing);
        var more = missing.Count > shown ? $" (and {missing.Count - shown} more)" : "";
        return $"has no expression for {string.Join(", ", missing.Take(shown))}{more}, which the model needs";
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "an object",
        _ => kind.ToString(),
    };

    // System.Text.Json appends "LineNumber: 0 | BytePositionInLine: 3." (zero-based); the message gives it one-based.
    private static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0];
        var position = line.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (position > 0 ? line[..position] : line).Trim();
    }
}
