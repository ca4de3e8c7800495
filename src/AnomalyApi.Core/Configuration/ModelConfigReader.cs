using System.Text.Json;

namespace AnomalyApi.Core.Configuration;

/// <summary>
/// Reads and validates <c>model_config.json</c>. It parses with <see cref="JsonDocument"/> rather than a
/// serializer so that every rejection can name the exact key: a missing key, a wrong type, a wrong length,
/// min &gt; max, a non-finite number or a duplicate feature each fail with one <see cref="ModelLoadException"/>.
/// Unknown keys (the trainer's <c>threshold_method</c>, <c>training</c>, …) are ignored.
/// </summary>
public static class ModelConfigReader
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Reads and validates the config at <paramref name="path"/>.</summary>
    /// <exception cref="ModelLoadException">The file is missing, unreadable or invalid.</exception>
    public static ModelConfig Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ModelLoadException(path, "(file)", $"cannot be read: {ex.Message}", ex);
        }
        return Parse(bytes, path);
    }

    /// <summary>Parses and validates config JSON; <paramref name="file"/> names the source in errors.</summary>
    /// <exception cref="ModelLoadException">The JSON is malformed or breaks a rule.</exception>
    public static ModelConfig Parse(ReadOnlyMemory<byte> json, string file)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw new ModelLoadException(file, "(json)",
                $"is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}): {ex.Message}", ex);
        }

        using (document)
        {
            var rules = new Rules(file);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw rules.Fail("(root)", $"must be a JSON object, not {Describe(root.ValueKind)}");
            }

            var features = rules.StringArray(root, ModelConfigKeys.Features);
            if (features.Count == 0)
            {
                throw rules.Fail(ModelConfigKeys.Features, "must list at least one feature");
            }
            var duplicate = features.GroupBy(f => f, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                throw rules.Fail(ModelConfigKeys.Features, $"names '{duplicate.Key}' more than once");
            }

            var normalization = rules.Object(root, ModelConfigKeys.Normalization);
            var type = rules.String(normalization, "type", ModelConfigKeys.NormalizationType);
            if (!string.Equals(type, MinMaxNormalization.TypeName, StringComparison.OrdinalIgnoreCase))
            {
                throw rules.Fail(ModelConfigKeys.NormalizationType,
                    $"is '{type}', but only '{MinMaxNormalization.TypeName}' is supported");
            }
            var min = rules.NumberArray(normalization, "min", ModelConfigKeys.NormalizationMin, features.Count);
            var max = rules.NumberArray(normalization, "max", ModelConfigKeys.NormalizationMax, features.Count);
            for (var i = 0; i < features.Count; i++)
            {
                if (min[i] > max[i])
                {
                    throw rules.Fail(ModelConfigKeys.NormalizationMin,
                        $"min[{i}] ({min[i]}) is greater than max[{i}] ({max[i]}) for feature '{features[i]}'");
                }
            }
            // The model card makes clamping optional, so an absent clip means "do not clamp".
            var clip = rules.OptionalBool(normalization, "clip", ModelConfigKeys.NormalizationClip) ?? false;

            var threshold = rules.Number(root, ModelConfigKeys.Threshold);
            if (threshold < 0)
            {
                throw rules.Fail(ModelConfigKeys.Threshold, $"is {threshold}, but an RMSE threshold cannot be negative");
            }

            return new ModelConfig(
                ModelName: rules.String(root, ModelConfigKeys.ModelName),
                ModelVersion: rules.OptionalString(root, ModelConfigKeys.ModelVersion),
                InputName: rules.String(root, ModelConfigKeys.InputName),
                OutputName: rules.String(root, ModelConfigKeys.OutputName),
                Features: features,
                Normalization: new MinMaxNormalization(min, max, clip),
                Threshold: threshold);
        }
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };

    /// <summary>Typed accessors that throw a <see cref="ModelLoadException"/> naming the key.</summary>
    private readonly record struct Rules(string File)
    {
        public ModelLoadException Fail(string key, string problem) => new(File, key, problem);

        private JsonElement Required(JsonElement parent, string name, string key) =>
            parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
                ? value
                : throw Fail(key, "is missing");

        public JsonElement Object(JsonElement parent, string key)
        {
            var value = Required(parent, key, key);
            return value.ValueKind == JsonValueKind.Object
                ? value
                : throw Fail(key, $"must be an object, not {Describe(value.ValueKind)}");
        }

        public string String(JsonElement parent, string key) => String(parent, key, key);

        public string String(JsonElement parent, string name, string key)
        {
            var value = Required(parent, name, key);
            if (value.ValueKind != JsonValueKind.String)
            {
                throw Fail(key, $"must be a string, not {Describe(value.ValueKind)}");
            }
            var text = value.GetString()!;
            return text.Trim().Length > 0 ? text : throw Fail(key, "must not be empty");
        }

        public string? OptionalString(JsonElement parent, string key) =>
            parent.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null
                ? value.ValueKind == JsonValueKind.String
                    ? value.GetString()
                    // Versions are sometimes written as numbers ("model_version": 2); keep their text.
                    : value.ValueKind == JsonValueKind.Number ? value.GetRawText()
                    : throw Fail(key, $"must be a string, not {Describe(value.ValueKind)}")
                : null;

        public bool? OptionalBool(JsonElement parent, string name, string key) =>
            parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
                ? value.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw Fail(key, $"must be true or false, not {Describe(value.ValueKind)}"),
                }
                : null;

        public double Number(JsonElement parent, string key) => NumberValue(Required(parent, key, key), key);

        private double NumberValue(JsonElement value, string key)
        {
            if (value.ValueKind != JsonValueKind.Number)
            {
                throw Fail(key, $"must be a number, not {Describe(value.ValueKind)}");
            }
            // Literals such as 1e999 parse to infinity; reject them like NaN.
            return value.TryGetDouble(out var number) && double.IsFinite(number)
                ? number
                : throw Fail(key, $"is not a finite number ({value.GetRawText()})");
        }

        public IReadOnlyList<string> StringArray(JsonElement parent, string key)
        {
            var array = Array(parent, key, key, expectedLength: null);
            var result = new string[array.GetArrayLength()];
            var i = 0;
            foreach (var item in array.EnumerateArray())
            {
                var name = item.ValueKind == JsonValueKind.String ? item.GetString()! : null;
                result[i] = string.IsNullOrWhiteSpace(name)
                    ? throw Fail(key, $"item {i} must be a non-empty string, not {Describe(item.ValueKind)}")
                    : name;
                i++;
            }
            return result;
        }

        public IReadOnlyList<double> NumberArray(JsonElement parent, string name, string key, int expectedLength)
        {
            var array = Array(parent, name, key, expectedLength);
            var result = new double[expectedLength];
            var i = 0;
            foreach (var item in array.EnumerateArray())
            {
                result[i] = NumberValue(item, $"{key}[{i}]");
                i++;
            }
            return result;
        }

        private JsonElement Array(JsonElement parent, string name, string key, int? expectedLength)
        {
            var value = Required(parent, name, key);
            if (value.ValueKind != JsonValueKind.Array)
            {
                throw Fail(key, $"must be an array, not {Describe(value.ValueKind)}");
            }
            var length = value.GetArrayLength();
            return expectedLength is { } expected && length != expected
                ? throw Fail(key, $"has {length} values, but 'features' has {expected}")
                : value;
        }
    }
}
