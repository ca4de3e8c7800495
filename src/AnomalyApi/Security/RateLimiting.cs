using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace AnomalyApi.Security;

/// <summary>
/// One fixed-window limiter per caller, over every route but health, metrics and Swagger (orchestrators and
/// Prometheus must never be throttled). It runs after authentication, so a valid key is its own partition and a
/// wrong or missing key falls back to the client address: cycling made-up keys buys no extra requests.
/// </summary>
internal static class RateLimiting
{
    private static readonly PathString[] Exempt = [new("/health"), new("/metrics"), new("/swagger")];

    public static void Configure(RateLimiterOptions limiter, RateLimitingOptions settings)
    {
        limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        limiter.OnRejected = RejectAsync;
        if (!settings.Enabled)
        {
            return;
        }
        var window = new FixedWindowRateLimiterOptions
        {
            PermitLimit = settings.PermitLimit,
            Window = TimeSpan.FromSeconds(settings.WindowSeconds),
            QueueLimit = settings.QueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        };
        limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            IsExempt(context.Request.Path)
                ? RateLimitPartition.GetNoLimiter("exempt")
                : RateLimitPartition.GetFixedWindowLimiter(PartitionKey(context), _ => window));
    }

    /// <summary>"key:api-key-2" (the key's name, never the key) or "ip:203.0.113.7".</summary>
    public static string PartitionKey(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, Name: { } name }
            ? "key:" + name
            : "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    private static bool IsExempt(PathString path) => Exempt.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var message = "too many requests from this caller";
        if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            message += $"; retry after {seconds} s";
        }
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new HttpValidationProblemDetails(new Dictionary<string, string[]> { ["rateLimit"] = [message] })
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests.",
                Detail = "RateLimiting:PermitLimit requests per RateLimiting:WindowSeconds per API key or client address.",
            },
        });
    }
}
