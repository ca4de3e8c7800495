using System.Net;
using System.Text;
using AnomalyApi.Deployment.Tests.Infrastructure;

namespace AnomalyApi.Deployment.Tests.Shutdown;

/// <summary>
/// A /predict/batch body that a slow client uploads: the opening rows at once (so the server has the request and
/// is reading its body), then nothing until <see cref="Release"/>, then the remaining rows a chunk at a time with a
/// pause between chunks. Sent chunked (no Content-Length), as a client streaming a body it is still producing.
/// </summary>
internal sealed class SlowBatchContent : HttpContent
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _rowsUpFront;
    private readonly int _chunks;
    private readonly TimeSpan _pause;

    public SlowBatchContent(int rows, int rowsUpFront, int chunks, TimeSpan pause)
    {
        Rows = rows;
        _rowsUpFront = rowsUpFront;
        _chunks = chunks;
        _pause = pause;
        Headers.ContentType = new("application/json");
    }

    public int Rows { get; }

    /// <summary>Lets the rest of the body go.</summary>
    public void Release() => _released.TrySetResult();

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await WriteAsync(stream, "{\"instances\":[" + JsonRows(0, _rowsUpFront));
        await stream.FlushAsync();
        await _released.Task;
        var rest = Rows - _rowsUpFront;
        for (var chunk = 0; chunk < _chunks; chunk++)
        {
            await Task.Delay(_pause);
            var from = _rowsUpFront + (rest * chunk / _chunks);
            var to = _rowsUpFront + (rest * (chunk + 1) / _chunks);
            await WriteAsync(stream, "," + JsonRows(from, to));
            await stream.FlushAsync();
        }
        await WriteAsync(stream, "]}");
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    // Rows across the training range, as JSON arrays in the model's order.
    private static string JsonRows(int from, int to) =>
        string.Join(',', Enumerable.Range(from, to - from).Select(i => "[" + string.Join(',', Telemetry.RowAt(i % 100 / 100.0).Select(Telemetry.Format)) + "]"));

    private static Task WriteAsync(Stream stream, string text) => stream.WriteAsync(Encoding.UTF8.GetBytes(text)).AsTask();
}
