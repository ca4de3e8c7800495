using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AnomalyApi.Contracts;
using AnomalyApi.Contracts.Json;
using AnomalyApi.Hosting;
using AnomalyApi.Scoring;
using AnomalyApi.Security;
using CommunityToolkit.HighPerformance.Buffers;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace AnomalyApi.Http;

/// <summary>
/// Reads request bodies for the binders, turning every client mistake into a <see cref="RequestProblem"/> instead
/// of an exception: wrong content type (415), too large (413, by Content-Length or while reading), empty or
/// malformed (400 naming the JSON path). Reading the body here rather than through the framework's JSON binding
/// keeps those answers consistent and keeps JSON errors from ever surfacing as a 500.
/// </summary>
internal static class RequestBody
{
    /// <param name="fastRead">Optional: reads the common case cheaply, or returns null for the strict reading to decide.</param>
    /// <param name="accepted">The media types the endpoint reads, for the 415's message.</param>
    public static async ValueTask<(T? Value, RequestProblem? Problem)> ReadJsonAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo,
        Func<ReadOnlyMemory<byte>, HttpContext, T?>? fastRead = null, string accepted = "application/json")
        where T : class
    {
        ParseTiming.Start(context);
        if (!context.Request.HasJsonContentType())
        {
            return (null, RequestProblem.UnsupportedMediaType(context.Request.ContentType, accepted));
        }
        var (owner, problem) = await ReadBytesAsync(context);
        if (owner is null)
        {
            return (null, problem);
        }
        using var pooled = owner;
        var body = pooled.WrittenMemory;
        if (body.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            return (null, RequestProblem.BadRequest(JsonPaths.Body, "is empty; a JSON object is required"));
        }
        if (fastRead?.Invoke(body, context) is { } fast)
        {
            return (fast, null);
        }
        var maxDepth = context.RequestServices.GetRequiredService<IOptions<LimitsOptions>>().Value.JsonMaxDepth;
        try
        {
            var value = JsonSerializer.Deserialize(body.Span, RequestJson.WithMaxDepth(typeInfo, maxDepth));
            return value is null
                ? (null, RequestProblem.BadRequest(JsonPaths.Body, "must be a JSON object, not null"))
                : (value, null);
        }
        catch (JsonException ex)
        {
            if (JsonDepth.Exceeds(body.Span, maxDepth))
            {
                return (null, RequestProblem.BadRequest(JsonPaths.Body, $"nests deeper than {maxDepth} levels (Limits:JsonMaxDepth)"));
            }
            var (field, message) = JsonPaths.Describe(ex);
            return (null, RequestProblem.BadRequest(field, message));
        }
    }

    /// <summary>
    /// The body as bytes, within Scoring:MaxRequestBodyBytes, in an array rented from the shared pool: the caller
    /// disposes it once parsed. A new array per request made every 120 KB batch body a large-object allocation, and
    /// perf showed its page faults in the copy from Kestrel.
    /// </summary>
    /// <returns>The body, or null and the problem.</returns>
    public static async ValueTask<(ArrayPoolBufferWriter<byte>? Body, RequestProblem? Problem)> ReadBytesAsync(HttpContext context)
    {
        var limit = context.RequestServices.GetRequiredService<IOptions<ScoringOptions>>().Value.MaxRequestBodyBytes;
        var request = context.Request;
        if (request.ContentLength > limit)
        {
            return (null, TooLarge(limit));
        }
        // Kestrel then enforces the same limit on chunked bodies; the count below covers servers that do not.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = limit;
        }

        var buffer = new ArrayPoolBufferWriter<byte>((int)Math.Min(request.ContentLength ?? ChunkBytes, limit) + 1);
        RequestProblem? problem;
        try
        {
            problem = await ReadIntoAsync(context, buffer, limit);
        }
        catch
        {
            buffer.Dispose();   // the client went away mid-body, say: the array goes back before the exception does
            throw;
        }
        if (problem is not null)
        {
            buffer.Dispose();
            return (null, problem);
        }
        if (buffer.WrittenCount >= InlineIo.OffloadBodyBytes)
        {
            // Parsing, scoring and writing a body this size takes milliseconds: not on a socket thread (InlineIo).
            await InlineIo.LeaveSocketThreadAsync();
        }
        return (buffer, null);
    }

    private static async ValueTask<RequestProblem?> ReadIntoAsync(HttpContext context, ArrayPoolBufferWriter<byte> buffer, long limit)
    {
        var request = context.Request;
        try
        {
            while (true)
            {
                // With a Content-Length, ask for what is left (plus the byte that proves the end): a fixed 16 KiB
                // hint grew a 500-byte /predict body's buffer to 16 KiB, allocated and zeroed on every request.
                var memory = buffer.GetMemory(request.ContentLength is { } length
                    ? (int)Math.Clamp(length - buffer.WrittenCount, 0, limit) + 1
                    : ChunkBytes);
                var read = await request.Body.ReadAsync(memory, context.RequestAborted);
                if (read == 0)
                {
                    break;
                }
                buffer.Advance(read);
                if (buffer.WrittenCount > limit)
                {
                    return TooLarge(limit);
                }
            }
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel's own verdicts on the body: over its limit (413), a broken chunked encoding (400), …
            return ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? TooLarge(limit)
                : RequestProblem.BadRequest(JsonPaths.Body, ex.Message);
        }
        return null;
    }

    // What a read asks for when the body's length is not known in advance (chunked).
    private const int ChunkBytes = 16 * 1024;

    private static RequestProblem TooLarge(long limit) =>
        RequestProblem.TooLarge(JsonPaths.Body, $"is larger than {limit} bytes (Scoring:MaxRequestBodyBytes)");
}
