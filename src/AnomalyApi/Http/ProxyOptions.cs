namespace AnomalyApi.Http;

/// <summary>
/// The <c>ForwardedHeaders</c> section: which proxies may set X-Forwarded-For/Proto/Prefix. Loopback is
/// trusted by default (nginx on the same host); list others as IP addresses and CIDR networks.
/// </summary>
public sealed class ProxyOptions
{
    public const string SectionName = "ForwardedHeaders";

    /// <summary>Proxy addresses, e.g. "10.0.0.5".</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR form, e.g. "10.0.0.0/8".</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>
    /// The path prefix the proxy serves this app under (top-level <c>PathBase</c> key, e.g. "/anomaly"), for
    /// proxies that cannot send X-Forwarded-Prefix.
    /// </summary>
    public string? PathBase { get; set; }
}
