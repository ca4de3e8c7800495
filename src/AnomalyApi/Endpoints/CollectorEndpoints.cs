using AnomalyApi.Collector;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace AnomalyApi.Endpoints;

/// <summary>GET /collector/recent: what the background collector has scored lately.</summary>
public static class CollectorEndpoints
{
    public static RouteGroupBuilder MapCollectorEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/collector").WithTags("Collector");

        group.MapGet("/recent", GetRecent)
            .WithName("GetCollectorRecent")
            .WithSummary("The live collector's latest scored vectors, newest first, and its current problem in words")
            .WithDescription("Always 200. With Collector:Enabled=false (the default) it answers enabled=false and no results.");

        return group;
    }

    public static Ok<CollectorRecentResponse> GetRecent(IOptions<CollectorOptions> options, CollectorState state)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return TypedResults.Ok(new CollectorRecentResponse(false, settings.Source, settings.Url, null, null, null, []));
        }
        var (lastSuccessAt, problem, problemSince, results) = state.Snapshot();
        return TypedResults.Ok(new CollectorRecentResponse(true, settings.Source, settings.Url, lastSuccessAt, problem, problemSince, results));
    }
}
