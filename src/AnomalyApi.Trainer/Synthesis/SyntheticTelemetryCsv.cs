using System.Globalization;

namespace AnomalyApi.Trainer.Synthesis;

/// <summary>Writes <see cref="SyntheticTelemetry"/> as the CSV the <c>train</c> and <c>evaluate</c> verbs read.</summary>
public static class SyntheticTelemetryCsv
{
    /// <summary>
    /// Writes the header <c>timestamp,&lt;features&gt;[,label]</c> and one line per row, with "\n" line
    /// endings on every platform. Numbers use the invariant culture and the shortest round-trippable form,
    /// so parsing the file gives back the exact doubles.
    /// </summary>
    /// <exception cref="ArgumentException">The rows, timestamps or labels disagree in count or width.</exception>
    public static void Write(TextWriter writer, SyntheticTelemetry telemetry)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(telemetry);
        if (telemetry.Timestamps.Length != telemetry.Rows.Length
            || (telemetry.Labels is { } labels && labels.Length != telemetry.Rows.Length))
        {
            throw new ArgumentException("Timestamps, rows and labels must have the same count.", nameof(telemetry));
        }

        writer.Write("timestamp");
        foreach (var column in telemetry.Columns)
        {
            writer.Write(',');
            writer.Write(column);
        }
        if (telemetry.Labels is not null)
        {
            writer.Write(",label");
        }
        writer.Write('\n');

        for (var r = 0; r < telemetry.Rows.Length; r++)
        {
            var row = telemetry.Rows[r];
            if (row.Length != telemetry.Columns.Count)
            {
                throw new ArgumentException($"Row {r} has {row.Length} values for {telemetry.Columns.Count} columns.", nameof(telemetry));
            }

            writer.Write(telemetry.Timestamps[r].ToString(CultureInfo.InvariantCulture));
            foreach (var value in row)
            {
                writer.Write(',');
                writer.Write(value.ToString("R", CultureInfo.InvariantCulture));
            }
            if (telemetry.Labels is not null)
            {
                writer.Write(',');
                writer.Write(telemetry.Labels[r].ToString(CultureInfo.InvariantCulture));
            }
            writer.Write('\n');
        }
    }
}
