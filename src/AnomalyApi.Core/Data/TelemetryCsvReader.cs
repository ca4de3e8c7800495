using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace AnomalyApi.Core.Data;

/// <summary>
/// Reads telemetry rows from CSV with a header row, as the model card's demo script does: the feature
/// columns may stand in any order among other columns; the other columns (a timestamp, say) are carried
/// through as each row's id, and an optional label column is read as 0/1. Values are parsed as float32 in
/// the invariant culture; NaN, infinities and numbers beyond float range are rejected with the row and
/// column named. Rows are read one at a time, so a large file is never held whole.
/// </summary>
public sealed class TelemetryCsvReader : IDisposable
{
    private readonly CsvParser _parser;
    private readonly int[] _featureColumns;
    private readonly int[] _idColumns;
    private readonly int _labelColumn;
    private readonly string[] _header;

    /// <summary>Reads the header and maps <paramref name="features"/> to its columns.</summary>
    /// <param name="reader">The CSV text.</param>
    /// <param name="features">The features to read, in the order the values are wanted.</param>
    /// <param name="labelColumn">A 0/1 label column to read, or null.</param>
    /// <exception cref="TelemetryCsvException">The header is missing, has duplicates or lacks a feature.</exception>
    public TelemetryCsvReader(TextReader reader, IReadOnlyList<string> features, string? labelColumn = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        _parser = new CsvParser(reader, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            DetectColumnCountChanges = false,
            TrimOptions = TrimOptions.Trim,
        });
        if (!ReadRecord(out var header))
        {
            throw new TelemetryCsvException(null, null, "the CSV is empty; a header row naming the features is required");
        }
        _header = header ?? [];

        var columnByName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < _header.Length; i++)
        {
            if (_header[i].Length == 0)
            {
                throw new TelemetryCsvException(null, null, $"column {i + 1} has an empty name");
            }
            if (!columnByName.TryAdd(_header[i], i))
            {
                throw new TelemetryCsvException(null, _header[i], "appears more than once in the header");
            }
        }

        var missing = features.Where(f => !columnByName.ContainsKey(f)).ToList();
        if (missing.Count > 0)
        {
            throw new TelemetryCsvException(null, missing[0],
                $"the header lacks {missing.Count} of the model's features: {string.Join(", ", missing.Take(5))}{(missing.Count > 5 ? ", …" : "")}");
        }
        _featureColumns = [.. features.Select(f => columnByName[f])];

        _labelColumn = -1;
        if (labelColumn is not null)
        {
            _labelColumn = columnByName.TryGetValue(labelColumn, out var index)
                ? index
                : throw new TelemetryCsvException(null, labelColumn, "the label column is not in the header");
        }

        var used = new HashSet<int>(_featureColumns) { _labelColumn };
        _idColumns = [.. Enumerable.Range(0, _header.Length).Where(i => !used.Contains(i))];
        Features = features;
        IdColumns = [.. _idColumns.Select(i => _header[i])];
    }

    /// <summary>The features read into each row, in order.</summary>
    public IReadOnlyList<string> Features { get; }

    /// <summary>The columns that are neither features nor the label; their values form a row's id.</summary>
    public IReadOnlyList<string> IdColumns { get; }

    /// <summary>Data rows read so far (1-based number of the last row read).</summary>
    public int RowNumber { get; private set; }

    /// <summary>
    /// Reads the next row's features into <paramref name="values"/> (length = feature count).
    /// </summary>
    /// <param name="values">Receives the row's feature values.</param>
    /// <param name="id">The id columns' values joined by ',' (null when there are none).</param>
    /// <param name="label">The label, or null when no label column was asked for.</param>
    /// <returns>False at the end of the file.</returns>
    /// <exception cref="TelemetryCsvException">The row is short or a value is not a finite float32.</exception>
    public bool TryReadRow(Span<float> values, out string? id, out int? label)
    {
        if (values.Length != _featureColumns.Length)
        {
            throw new ArgumentException($"expected a span of {_featureColumns.Length} values", nameof(values));
        }
        id = null;
        label = null;

        string[]? record;
        do
        {
            if (!ReadRecord(out record))
            {
                return false;
            }
        }
        // Blank lines (a trailing newline, say) are not rows.
        while (record is null || (record.Length == 1 && record[0].Length == 0));

        RowNumber++;
        if (record.Length != _header.Length)
        {
            throw new TelemetryCsvException(RowNumber, null, $"has {record.Length} cells, but the header has {_header.Length}");
        }

        for (var i = 0; i < _featureColumns.Length; i++)
        {
            values[i] = ParseValue(record[_featureColumns[i]], _featureColumns[i]);
        }
        if (_labelColumn >= 0)
        {
            label = ParseLabel(record[_labelColumn]);
        }
        if (_idColumns.Length > 0)
        {
            id = _idColumns.Length == 1 ? record[_idColumns[0]] : string.Join(',', _idColumns.Select(c => record[c]));
        }
        return true;
    }

    /// <summary>Advances the parser, turning its malformed-CSV errors (a stray quote) into ours, with the row.</summary>
    private bool ReadRecord(out string[]? record)
    {
        try
        {
            // CsvHelper parses fields lazily, so a bad field can throw from Record as well as from Read.
            var read = _parser.Read();
            record = read ? _parser.Record : null;
            return read;
        }
        catch (CsvHelperException ex)
        {
            // Row 0 is the header; RowNumber counts the data rows read before this one.
            int? row = _header is null ? null : RowNumber + 1;
            throw new TelemetryCsvException(row, null, ex is BadDataException bad
                ? $"is not well-formed CSV: a quote is misplaced in '{Truncate(bad.Field)}' (quote a whole cell, and double any quote inside it)"
                : $"is not well-formed CSV: {ex.Message.Split('\n', 2)[0].Trim()}");
        }
    }

    /// <summary>Reads every remaining row into memory: for training and evaluation files.</summary>
    public TelemetryTable ReadAll()
    {
        var features = _featureColumns.Length;
        var values = new List<float>();
        var ids = new List<string?>();
        var labels = _labelColumn >= 0 ? new List<int>() : null;
        var row = new float[features];
        while (TryReadRow(row, out var id, out var label))
        {
            values.AddRange(row);
            ids.Add(id);
            labels?.Add(label!.Value);
        }
        return new TelemetryTable(Features, [.. values], [.. ids], labels?.ToArray());
    }

    private float ParseValue(string cell, int column)
    {
        if (!float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw new TelemetryCsvException(RowNumber, _header[column],
                cell.Length == 0 ? "is empty; a number is required" : $"'{Truncate(cell)}' is not a number");
        }
        // float.TryParse accepts "NaN" and "Infinity" and turns 1e39 into infinity: all three are errors here.
        return float.IsFinite(value)
            ? value
            : throw new TelemetryCsvException(RowNumber, _header[column], $"'{Truncate(cell)}' is not a finite float32 number");
    }

    private int ParseLabel(string cell) => cell switch
    {
        "0" or "false" or "False" => 0,
        "1" or "true" or "True" => 1,
        _ => throw new TelemetryCsvException(RowNumber, _header[_labelColumn], $"'{Truncate(cell)}' is not a 0/1 label"),
    };

    private static string Truncate(string cell) => cell.Length <= 40 ? cell : cell[..40] + "…";

    /// <inheritdoc />
    public void Dispose() => _parser.Dispose();
}
