namespace AnomalyApi.Trainer.Onnx;

/// <summary>
/// The IR version to stamp on a model for a given default-domain opset. A runtime refuses a model whose
/// IR version is newer than it knows, so we write the oldest IR that introduced the opset rather than
/// the newest IR the schema has: an opset 17 model then loads in every runtime that knows opset 17.
/// </summary>
internal static class OnnxIrVersion
{
    /// <summary>The last opset in the table below.</summary>
    public const int HighestKnownOpset = 23;

    /// <summary>Returns the IR version ONNX released together with <paramref name="opset"/>.</summary>
    public static long ForOpset(int opset) => opset switch
    {
        // From onnx/onnx docs/Versioning.md, "Released Versions": ONNX 1.8-1.9 (opset 13-14) shipped IR 7,
        // 1.10-1.13 (15-18) IR 8, 1.14-1.15 (19-20) IR 9, 1.16-1.17 (21-22) IR 10, 1.18 (23) IR 11.
        < 13 => throw new ArgumentOutOfRangeException(nameof(opset), opset, "Opsets below 13 are not supported."),
        <= 14 => 7,
        <= 18 => 8,
        <= 20 => 9,
        <= 22 => 10,
        <= HighestKnownOpset => 11,
        _ => throw new ArgumentOutOfRangeException(
            nameof(opset), opset, $"No IR version is known for opsets above {HighestKnownOpset}."),
    };
}
