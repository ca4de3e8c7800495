using AnomalyApi.Core.Data;

namespace AnomalyApi.Core.Tests.Data;

public class TelemetryCsvReaderTests
{
    private static readonly string[] Features = ["a", "b"];

    private static TelemetryTable Read(string csv, string? label = null)
    {
        using var reader = new TelemetryCsvReader(new StringReader(csv), Features, label);
        return reader.ReadAll();
    }

    private static TelemetryCsvException Reject(string csv, string? label = null) =>
        Assert.Throws<TelemetryCsvException>(() => Read(csv, label));

    [Fact]
    public void ReadAll_WithFeaturesInAnyOrderAmongOtherColumns_ReadsModelOrderAndKeepsIds()
    {
        var table = Read("timestamp,b,a\n2026-01-01T00:00:00Z,2.5,1\n2026-01-01T00:00:15Z,-3e2,0.125\n");

        Assert.Equal(2, table.Rows);
        Assert.Equal([1f, 2.5f, 0.125f, -300f], table.Values);
        Assert.Equal(["2026-01-01T00:00:00Z", "2026-01-01T00:00:15Z"], table.Ids);
        Assert.Null(table.Labels);
    }

    [Fact]
    public void ReadAll_WithLabelColumn_ReadsLabelsAndLeavesThemOutOfIds()
    {
        var table = Read("a,b,label\n1,2,0\n3,4,1\n", label: "label");

        Assert.Equal([0, 1], table.Labels!);
        Assert.All(table.Ids, id => Assert.Null(id));
    }

    [Fact]
    public void ReadAll_WithBlankTrailingLinesAndCrLf_IgnoresThem()
    {
        var table = Read("a,b\r\n1,2\r\n\r\n");

        Assert.Equal(1, table.Rows);
    }

    [Fact]
    public void Constructor_WithEmptyText_SaysAHeaderIsRequired()
    {
        var error = Reject("");

        Assert.Null(error.Row);
        Assert.Contains("header row", error.Message);
    }

    [Fact]
    public void Constructor_WithMissingFeature_NamesIt()
    {
        var error = Reject("a,c\n1,2\n");

        Assert.Equal("b", error.Column);
        Assert.StartsWith("header, column 'b': the header lacks 1 of the model's features: b", error.Message);
    }

    [Fact]
    public void Constructor_WithDuplicateColumn_NamesIt()
    {
        var error = Reject("a,b,a\n1,2,3\n");

        Assert.Equal("a", error.Column);
    }

    [Theory]
    [InlineData("a,b\n1,x\n", 1, "b", "'x' is not a number")]
    [InlineData("a,b\n1,2\nNaN,2\n", 2, "a", "'NaN' is not a finite float32 number")]
    [InlineData("a,b\n1,Infinity\n", 1, "b", "'Infinity' is not a finite float32 number")]
    [InlineData("a,b\n1e39,1\n", 1, "a", "'1e39' is not a finite float32 number")]
    [InlineData("a,b\n,1\n", 1, "a", "is empty; a number is required")]
    public void ReadAll_WithBadCell_NamesRowAndColumn(string csv, int row, string column, string problem)
    {
        var error = Reject(csv);

        Assert.Equal(row, error.Row);
        Assert.Equal(column, error.Column);
        Assert.Equal($"row {row}, column '{column}': {problem}", error.Message);
    }

    [Fact]
    public void ReadAll_WithShortRow_SaysHowManyCells()
    {
        var error = Reject("a,b\n1,2\n3\n");

        Assert.Equal(2, error.Row);
        Assert.Contains("has 1 cells, but the header has 2", error.Message);
    }

    [Fact]
    public void ReadAll_WithStrayQuote_SaysTheRowIsNotWellFormed()
    {
        var error = Reject("a,b\n1,2\n3,4\"x\"\n");

        Assert.Equal(2, error.Row);
        Assert.StartsWith("row 2: is not well-formed CSV", error.Message);
    }

    [Fact]
    public void ReadAll_WithBadLabel_NamesTheLabelColumn()
    {
        var error = Reject("a,b,label\n1,2,yes\n", label: "label");

        Assert.Equal("label", error.Column);
    }
}
