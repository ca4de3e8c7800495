namespace AnomalyApi.Tests.Contracts;

/// <summary>
/// A row's values as the inside of a JSON array, spoiled in each way the fast readers' shared step
/// (<c>RowValues.ReadOrdered</c>) must refuse, so the strict reading names the problem: one value too many or too
/// few, a string, a value outside float32, a null, a nested array.
/// </summary>
internal static class RowArrayCases
{
    /// <param name="row">A valid row's values, comma-separated.</param>
    public static IEnumerable<string> Refused(string row) =>
    [
        $"{row},1",
        row[..row.LastIndexOf(',')],
        row.Replace("0", "\"0\"", StringComparison.Ordinal),
        $"1e39{row[row.IndexOf(',')..]}",
        $"null{row[row.IndexOf(',')..]}",
        $"[1]{row[row.IndexOf(',')..]}",
    ];
}
