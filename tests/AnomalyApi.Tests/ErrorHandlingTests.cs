using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AnomalyApi.Contracts;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AnomalyApi.Tests;

public sealed class ErrorHandlingTests
{
    [Fact]
    public async Task UnexpectedException_Returns500ProblemWithoutStackTraceAndLogsItOnce()
    {
        await using var factory = new AnomalyApiFactory();
        var client = factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.AddSingleton<IValidator<PredictRequest>, ExplodingValidator>())).CreateClient();

        var response = await client.PostAsJsonAsync("/predict", new JsonObject { ["features"] = TestModel.ToJsonArray(TestModel.RowAt(0.5)) });

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("kaboom", body, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
        Assert.Equal(500, JsonNode.Parse(body)!["status"]!.GetValue<int>());

        // The service keeps serving others.
        var health = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task UnexpectedException_IsLoggedExactlyOnce()
    {
        var factory = new AnomalyApiFactory();
        await using var withFault = factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.AddSingleton<IValidator<PredictRequest>, ExplodingValidator>()));
        var client = withFault.CreateClient();

        var response = await client.PostAsJsonAsync("/predict", new JsonObject { ["features"] = TestModel.ToJsonArray(TestModel.RowAt(0.5)) });
        var traceId = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["traceId"]!.GetValue<string>();

        var errors = factory.Logs.Where(l => l.Level >= LogLevel.Error).ToList();
        var error = Assert.Single(errors);
        Assert.Contains("Unhandled exception on POST /predict", error.Message, StringComparison.Ordinal);
        // The line a client's report of its 500 leads to.
        Assert.False(string.IsNullOrEmpty(traceId));
        Assert.Contains($"(traceId {traceId})", error.Message, StringComparison.Ordinal);
        await factory.DisposeAsync();
    }

    private sealed class ExplodingValidator : AbstractValidator<PredictRequest>
    {
        // The service validates synchronously (RequestGate); both are covered so the fault does not depend on which.
        public override ValidationResult Validate(ValidationContext<PredictRequest> context) =>
            throw new InvalidOperationException("kaboom");

        public override Task<ValidationResult> ValidateAsync(ValidationContext<PredictRequest> context, CancellationToken cancellation = default) =>
            throw new InvalidOperationException("kaboom");
    }
}
