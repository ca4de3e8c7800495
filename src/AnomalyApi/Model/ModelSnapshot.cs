using System.Security.Cryptography;
using AnomalyApi.Core;

namespace AnomalyApi.Model;

/// <summary>
/// Both model files read into memory at one moment, with their sha256s: the model is built from these bytes, so
/// the hash it reports is the hash of what it serves, and a file being rewritten while it loads is either caught by
/// validation (a torn file) or picked up by the next reload, never half-used.
/// </summary>
public sealed record ModelSnapshot(string OnnxPath, string ConfigPath, byte[] Onnx, byte[] Config)
{
    public string OnnxSha256 { get; } = Convert.ToHexStringLower(SHA256.HashData(Onnx));

    public string ConfigSha256 { get; } = Convert.ToHexStringLower(SHA256.HashData(Config));

    /// <exception cref="ModelLoadException">A file is missing or cannot be read.</exception>
    public static ModelSnapshot Read(string onnxPath, string configPath)
    {
        // The config first: with both missing (a wrong Model:Directory) the error names model_config.json, as it always has.
        var config = ReadAll(configPath);
        return new ModelSnapshot(onnxPath, configPath, ReadAll(onnxPath), config);
    }

    private static byte[] ReadAll(string path)
    {
        try
        {
            // FileShare.ReadWrite|Delete: an operator's copy or rename in progress must not fail on our handle.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            return memory.ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ModelLoadException(path, "(file)", $"cannot be read: {ex.Message}", ex);
        }
    }
}
