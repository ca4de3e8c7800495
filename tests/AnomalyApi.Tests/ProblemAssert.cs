using System.Net;
using System.Text.Json;

namespace AnomalyApi.Tests;

/// <summary>Asserts on what a client sees when the service refuses a request.</summary>
public static class ProblemAssert
{
    /// <summary>
    /// The response is an RFC 9457 problem with <paramref name="status"/> whose errors map has
    /// <paramref name="field"/>; returns that field's messages joined.
    /// </summary>
    public static async Task<string> HasErrorAsync(HttpResponseMessage response, HttpStatusCode status, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(body);
        var root = problem.RootElement;
        Assert.Equal((int)status, root.GetProperty("status").GetInt32());
        Assert.True(root.TryGetProperty("title", out _), body);
        Assert.True(root.TryGetProperty("errors", out var errors), $"no errors map: {body}");
        Assert.True(errors.TryGetProperty(field, out var messages),
            $"errors has no '{field}': {errors}");
        var text = string.Join(" ", messages.EnumerateArray().Select(m => m.GetString()));
        Assert.False(string.IsNullOrWhiteSpace(text));
        Assert.DoesNotContain("System.", text, StringComparison.Ordinal);
        return text;
    }
}
