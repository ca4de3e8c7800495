namespace AnomalyApi.Security;

/// <summary>
/// The <c>RateLimiting</c> section: a fixed window of <see cref="PermitLimit"/> requests per
/// <see cref="WindowSeconds"/> for each caller (its API key when it sent a valid one, else its address as seen
/// after X-Forwarded-For from a trusted proxy). Off by default: a service behind one nginx sees one address for
/// everyone unless the proxy is trusted, so an operator turns it on knowingly.
/// </summary>
public sealed class RateLimitingOptions
{
    public const string SectionName = "RateLimiting";

    public bool Enabled { get; set; }

    /// <summary>Requests each caller may make per window.</summary>
    public int PermitLimit { get; set; } = 100;

    /// <summary>The window's length; a new window starts with a full allowance.</summary>
    public double WindowSeconds { get; set; } = 1;

    /// <summary>Requests over the limit that wait for the next window instead of a 429 (0: none wait).</summary>
    public int QueueLimit { get; set; }
}
