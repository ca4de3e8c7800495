using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using AnomalyApi.Core.Scoring;

namespace AnomalyApi.Tests.Model;

/// <summary>
/// Model files for the reload tests, built from the shipped model: two valid models that answer differently, and
/// two bad ones. The model name carries a per-instance suffix so each test's metric series are its own.
/// </summary>
/// <remarks>
/// Model B keeps A's network but has its own ONNX bytes (a doc_string field appended, which protobuf readers
/// merge, so the sha256 differs) and a config whose normalisation range is twice as wide: every row normalises to
/// other values, so its reconstruction and RMSE differ from A's. Two networks with different weights would say no
/// more about the swap; what the tests need is that an answer tells which model gave it, and that mixing A's
/// files with B's cannot produce a third model (the network is the same, only the config decides).
/// </remarks>
public sealed class ModelVariants : IDisposable
{
    public ModelVariants()
    {
        Name = $"reload-test-{Guid.NewGuid():N}"[..24];
        var onnx = File.ReadAllBytes(TestModel.OnnxPath);
        var config = JsonNode.Parse(File.ReadAllText(TestModel.ConfigPath))!.AsObject();

        A = new Files("a", onnx, Config(config, Name, "a", widen: false));
        B = new Files("b", WithDocString(onnx, "reload test model b"), Config(config, Name, "b", widen: true));
        Corrupt = new Files("corrupt", onnx[..(onnx.Length / 2)], A.Config);
        var mismatched = ConfigNode(config, Name, "bad-config", widen: false);
        // Consistent in itself (37 names, 37 mins, 37 maxes), so only the check against the ONNX input can catch it.
        foreach (var array in new[] { mismatched["features"]!, mismatched["normalization"]!["min"]!, mismatched["normalization"]!["max"]! })
        {
            array.AsArray().RemoveAt(array.AsArray().Count - 1);
        }
        ConfigDisagreeingWithOnnx = new Files("bad-config", onnx, Encoding.UTF8.GetBytes(mismatched.ToJsonString()));

        Directory = Path.Combine(Path.GetTempPath(), $"anomaly-reload-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(Directory);
        WriteAtomically(A);
        ScorerA = Load(A);
        ScorerB = Load(B);
    }

    public string Name { get; }

    /// <summary>The directory the service under test serves (Model:Directory).</summary>
    public string Directory { get; }

    public Files A { get; }

    public Files B { get; }

    /// <summary>Half of A's ONNX file: not a model ONNX Runtime can load.</summary>
    public Files Corrupt { get; }

    /// <summary>A valid config listing 37 features beside A's 38-input ONNX file.</summary>
    public Files ConfigDisagreeingWithOnnx { get; }

    /// <summary>A and B loaded straight from Core, each from its own directory: the answers to expect.</summary>
    public AnomalyScorer ScorerA { get; }

    public AnomalyScorer ScorerB { get; }

    public string OnnxPath => Path.Combine(Directory, "autoencoder.onnx");

    public string ConfigPath => Path.Combine(Directory, "model_config.json");

    /// <summary>As an operator should: each file written beside its target under a temporary name, then renamed onto it.</summary>
    public void WriteAtomically(Files files)
    {
        Replace(OnnxPath, files.Onnx);
        Replace(ConfigPath, files.Config);

        static void Replace(string path, byte[] bytes)
        {
            var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, path, overwrite: true);
        }
    }

    /// <summary>As a careless copy does: each file truncated and rewritten in place, in chunks, with pauses between.</summary>
    public async Task OverwriteInPlaceAsync(Files files, int chunks, TimeSpan pause)
    {
        foreach (var (path, bytes) in new[] { (OnnxPath, files.Onnx), (ConfigPath, files.Config) })
        {
            await using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            var size = (bytes.Length + chunks - 1) / chunks;
            for (var offset = 0; offset < bytes.Length; offset += size)
            {
                await stream.WriteAsync(bytes.AsMemory(offset, Math.Min(size, bytes.Length - offset)));
                await stream.FlushAsync();
                await Task.Delay(pause);
            }
        }
    }

    public void Dispose()
    {
        ScorerA.Dispose();
        ScorerB.Dispose();
        foreach (var directory in new[] { Directory, Directory + "-expected" })
        {
            try
            {
                System.IO.Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A watcher still closing; the temp folder is cleaned up eventually.
            }
        }
    }

    private AnomalyScorer Load(Files files)
    {
        var directory = Path.Combine(Directory + "-expected", files.Version);
        System.IO.Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, "autoencoder.onnx"), files.Onnx);
        File.WriteAllBytes(Path.Combine(directory, "model_config.json"), files.Config);
        return AnomalyScorer.Load(Path.Combine(directory, "autoencoder.onnx"), Path.Combine(directory, "model_config.json"));
    }

    private static byte[] Config(JsonObject shipped, string name, string version, bool widen) =>
        Encoding.UTF8.GetBytes(ConfigNode(shipped, name, version, widen).ToJsonString());

    private static JsonObject ConfigNode(JsonObject shipped, string name, string version, bool widen)
    {
        var config = shipped.DeepClone().AsObject();
        config["model_name"] = name;
        config["model_version"] = version;
        if (widen)
        {
            var min = config["normalization"]!["min"]!.AsArray();
            var max = config["normalization"]!["max"]!.AsArray();
            for (var i = 0; i < max.Count; i++)
            {
                var low = min[i]!.GetValue<double>();
                var high = max[i]!.GetValue<double>();
                max[i] = high + (high - low);
            }
            config["threshold"] = config["threshold"]!.GetValue<double>() * 1.5;
        }
        return config;
    }

    // ModelProto field 6 (doc_string), wire type 2: tag 0x32, varint length, UTF-8 bytes.
    private static byte[] WithDocString(byte[] onnx, string text)
    {
        var value = Encoding.UTF8.GetBytes(text);
        if (value.Length > 127)
        {
            throw new ArgumentException("one-byte varint lengths only", nameof(text));
        }
        return [.. onnx, 0x32, (byte)value.Length, .. value];
    }

    /// <summary>One model's two files and what the service should report for it.</summary>
    public sealed record Files(string Version, byte[] Onnx, byte[] Config)
    {
        public string Sha256 { get; } = Convert.ToHexStringLower(SHA256.HashData(Onnx));
    }
}
