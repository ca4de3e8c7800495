namespace AnomalyApi.Security;

/// <summary>
/// The <c>Auth</c> section. <see cref="ApiKeys"/> guard the API (/predict, /model, /collector) when there are any;
/// /admin/* always needs a key: one of <see cref="AdminKeys"/>, or of <see cref="ApiKeys"/> while AdminKeys is
/// empty. With no keys at all the API is open and /admin/* answers 401 to everyone.
/// </summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>The header a client sends its key in.</summary>
    public const string HeaderName = "X-API-Key";

    /// <summary>Shortest key accepted in configuration: a key must be hard to guess, not just secret.</summary>
    public const int MinKeyLength = 16;

    public string[] ApiKeys { get; set; } = [];

    public string[] AdminKeys { get; set; } = [];
}
