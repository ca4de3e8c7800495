namespace AnomalyApi.Core.Scoring;

/// <summary>What is being served: enough to tell two models apart in a log line or a metric label.</summary>
/// <param name="OnnxPath">Where the ONNX file was read from.</param>
/// <param name="ConfigPath">Where model_config.json was read from.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the ONNX file's bytes.</param>
/// <param name="Opset">The default-domain opset the ONNX file imports, when it declares one.</param>
/// <param name="LoadedAt">When this scorer finished loading.</param>
public sealed record ModelInfo(string OnnxPath, string ConfigPath, string Sha256, long? Opset, DateTimeOffset LoadedAt);
