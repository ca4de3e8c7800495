using System.Text.Json;
using System.Text.RegularExpressions;

namespace AnomalyApi.Contracts.Json;

/// <summary>
/// Turns System.Text.Json's errors into the <c>errors</c> map of a problem response: the key is the JSON path
/// without its "$." (features[3], values.cpu_0_idle, instances[2][5]), the message says what is wrong in words
/// a client can act on rather than .NET type names.
/// </summary>
public static partial class JsonPaths
{
    /// <summary>The key for the body as a whole.</summary>
    public const string Body = "body";

    /// <summary>".name", or "['name']" when the name is not a plain identifier (as System.Text.Json writes paths).</summary>
    public static string Member(string name) =>
        PlainName().IsMatch(name) ? "." + name : $"['{name.Replace("'", "\\'", StringComparison.Ordinal)}']";

    /// <summary>Appends a member to a key: values + cpu_0_idle → values.cpu_0_idle.</summary>
    public static string Combine(string parent, string name) => parent + Member(name);

    public static (string Field, string Message) Describe(JsonException exception)
    {
        var path = (exception.Path ?? "$") + (exception as JsonFieldException)?.RelativePath;
        var field = path switch
        {
            "$" => Body,
            _ when path.StartsWith("$.", StringComparison.Ordinal) => path[2..],
            _ => path.TrimStart('$'),
        };
        return (field, exception is JsonFieldException ? exception.Message : Explain(exception));
    }

    private static string Explain(JsonException exception)
    {
        // System.Text.Json appends " Path: $.x | LineNumber: 0 | BytePositionInLine: 9." to its own messages.
        var message = exception.Message;
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut >= 0)
        {
            message = message[..cut];
        }
        var position = exception.LineNumber is { } line
            ? $" (line {line + 1}, byte {exception.BytePositionInLine + 1})"
            : "";

        if (NotConvertible().Match(message) is { Success: true } notConvertible)
        {
            return $"has the wrong JSON type: expected {Expected(notConvertible.Groups["type"].Value)}";
        }
        if (message.StartsWith("Duplicate propert", StringComparison.Ordinal))
        {
            return "appears more than once";
        }
        if (NotMapped().IsMatch(message))
        {
            return "is not a field of this request";
        }
        return message.TrimEnd('.') + position;
    }

    private static string Expected(string type) => type switch
    {
        "System.Single" => "a number",
        "System.Single[]" => "an array of numbers",
        "System.String" => "a string",
        "System.String[]" => "an array of strings",
        _ when type.StartsWith("System.Collections.Generic.Dictionary`2[System.String,System.Single]", StringComparison.Ordinal)
            => "an object mapping feature names to numbers",
        _ when type.StartsWith("System.Collections.Generic.IReadOnlyList`1[AnomalyApi.Contracts.FeatureRow]", StringComparison.Ordinal)
            => "an array of rows",
        _ => "a JSON object",
    };

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex PlainName();

    [GeneratedRegex(@"^The JSON value could not be converted to (?<type>\S+?)\.?$")]
    private static partial Regex NotConvertible();

    [GeneratedRegex(@"^The JSON property '.*' could not be mapped")]
    private static partial Regex NotMapped();
}
