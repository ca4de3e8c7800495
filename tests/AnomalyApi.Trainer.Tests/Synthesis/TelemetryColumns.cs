using AnomalyApi.Trainer.Synthesis;

namespace AnomalyApi.Trainer.Tests.Synthesis;

/// <summary>Reads one feature of a row by name, so the tests do not hard-code column positions.</summary>
internal static class TelemetryColumns
{
    public static double Value(this SyntheticTelemetry telemetry, int row, string column)
    {
        var index = telemetry.Columns.ToList().IndexOf(column);
        Assert.True(index >= 0, $"No column {column}.");
        return telemetry.Rows[row][index];
    }

    public static double Cpu(this SyntheticTelemetry telemetry, int row, int cpu, string mode) =>
        telemetry.Value(row, $"cpu_{cpu}_{mode}");
}
