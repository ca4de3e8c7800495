namespace AnomalyApi.Core.Data;

/// <summary>Telemetry rows held in memory, row-major, with their ids and optional 0/1 labels.</summary>
/// <param name="Features">Column names of <see cref="Values"/>.</param>
/// <param name="Values">Rows × features, row-major.</param>
/// <param name="Ids">Per row, the non-feature columns' values (or null).</param>
/// <param name="Labels">Per row 0/1, when a label column was read.</param>
public sealed record TelemetryTable(IReadOnlyList<string> Features, float[] Values, IReadOnlyList<string?> Ids, int[]? Labels)
{
    /// <summary>Number of rows.</summary>
    public int Rows => Ids.Count;

    /// <summary>Row <paramref name="row"/>'s values.</summary>
    public ReadOnlySpan<float> Row(int row) => Values.AsSpan(row * Features.Count, Features.Count);

    /// <summary>Reads a whole CSV file: see <see cref="TelemetryCsvReader"/>.</summary>
    public static TelemetryTable Load(string path, IReadOnlyList<string> features, string? labelColumn = null)
    {
        using var text = File.OpenText(path);
        using var reader = new TelemetryCsvReader(text, features, labelColumn);
        return reader.ReadAll();
    }

    /// <summary>The header of a CSV file, for callers that choose features from it.</summary>
    public static IReadOnlyList<string> ReadHeader(string path)
    {
        using var text = File.OpenText(path);
        using var reader = new TelemetryCsvReader(text, []);
        return reader.IdColumns;
    }
}
