using System.Reflection;
using System.Text;
using AnomalyApi.Core.Data;
using AnomalyApi.Http;
using AnomalyApi.Model;
using AnomalyApi.Scoring;
using AnomalyApi.Security;
using Microsoft.Extensions.Options;

namespace AnomalyApi.Contracts;

/// <summary>
/// POST /predict/csv: a text/csv body with a header row naming the model's features (in any order, among other
/// columns that come back as each row's id). The whole body is parsed, and every cell checked, while binding:
/// a bad cell is a 400 naming its row and column before any result is written, even when results stream.
/// </summary>
public sealed class CsvBatch : IBindableFromHttpContext<CsvBatch>, IBoundRequest
{
    public const string ContentType = "text/csv";

    private CsvBatch(float[] values, string?[] ids, int rows, RequestProblem? problem)
    {
        Values = values;
        Ids = ids;
        Rows = rows;
        BindingProblem = problem;
    }

    /// <summary>Raw values, row-major, in the model's feature order.</summary>
    public float[] Values { get; }

    /// <summary>Per row, the non-feature columns' values, or null when there are none.</summary>
    public string?[] Ids { get; }

    /// <summary>
    /// Data rows read. Reading stops one past Scoring:MaxBatchSize, so a count above the limit means "too many",
    /// not the file's length.
    /// </summary>
    public int Rows { get; }

    public RequestProblem? BindingProblem { get; }

    public static async ValueTask<CsvBatch?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        ParseTiming.Start(context);
        var model = context.RequestServices.GetRequiredService<ModelProvider>();
        if (!model.IsReady)
        {
            // The group's model filter answers 503 before anything reads this.
            return Failed(null);
        }
        if (!IsCsv(context.Request.ContentType))
        {
            return Failed(RequestProblem.UnsupportedMediaType(context.Request.ContentType, ContentType));
        }
        var (owner, problem) = await RequestBody.ReadBytesAsync(context);
        if (owner is null)
        {
            return Failed(problem);
        }
        using var pooled = owner;
        var body = pooled.WrittenMemory;
        var maxLine = context.RequestServices.GetRequiredService<IOptions<LimitsOptions>>().Value.MaxCsvLineBytes;
        if (LongLine(body.Span, maxLine) is { } line)
        {
            return Failed(RequestProblem.BadRequest(line == 1 ? "csv.header" : "csv",
                $"line {line} is longer than {maxLine} bytes (Limits:MaxCsvLineBytes)"));
        }
        var maxRows = context.RequestServices.GetRequiredService<IOptions<ScoringOptions>>().Value.MaxBatchSize;
        return Parse(body, model.Scorer.Config.Features, maxRows);
    }

    /// <summary>Parses CSV text into rows of the given features, stopping one row past <paramref name="maxRows"/>.</summary>
    public static CsvBatch Parse(ReadOnlyMemory<byte> body, IReadOnlyList<string> features, int maxRows)
    {
        using var text = new StreamReader(new MemoryStream(body.ToArray(), writable: false), Encoding.UTF8);
        var values = new List<float>(features.Count * 64);
        var ids = new List<string?>(64);
        var row = new float[features.Count];
        try
        {
            using var reader = new TelemetryCsvReader(text, features);
            while (ids.Count <= maxRows && reader.TryReadRow(row, out var id, out _))
            {
                values.AddRange(row);
                ids.Add(id);
            }
        }
        catch (TelemetryCsvException ex)
        {
            return Failed(RequestProblem.BadRequest(Field(ex.Row, ex.Column), ex.Problem));
        }
        return new CsvBatch([.. values], [.. ids], ids.Count, null);
    }

    /// <summary>The 1-based number of the first physical line longer than <paramref name="maxBytes"/>, if any.</summary>
    public static int? LongLine(ReadOnlySpan<byte> body, int maxBytes)
    {
        var line = 1;
        while (true)
        {
            var end = body.IndexOf((byte)'\n');
            var length = end < 0 ? body.Length : end;
            // A CR before the LF is part of the line ending, not of the line.
            if (length > 0 && end >= 0 && body[length - 1] == (byte)'\r')
            {
                length--;
            }
            if (length > maxBytes)
            {
                return line;
            }
            if (end < 0)
            {
                return null;
            }
            body = body[(end + 1)..];
            line++;
        }
    }

    /// <summary>csv.header, csv.header.col, csv.row[4], csv.row[4].col.</summary>
    public static string Field(int? row, string? column)
    {
        var field = row is { } number ? $"csv.row[{number}]" : "csv.header";
        return column is null ? field : Contracts.Json.JsonPaths.Combine(field, column);
    }

    private static bool IsCsv(string? contentType) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
        && mediaType.MediaType.Equals(ContentType, StringComparison.OrdinalIgnoreCase);

    private static CsvBatch Failed(RequestProblem? problem) => new([], [], 0, problem);
}
