using System.Text.Json;

namespace AnomalyApi.Contracts.Json;

/// <summary>
/// A value a converter rejected. System.Text.Json fills <see cref="JsonException.Path"/> with the path of the
/// value the converter was reading (e.g. <c>$.instances[2]</c>); <see cref="RelativePath"/> adds the position
/// inside it that the converter walked to itself (e.g. <c>[5]</c>).
/// </summary>
public sealed class JsonFieldException(string relativePath, string message) : JsonException(message)
{
    public string RelativePath { get; } = relativePath;
}
