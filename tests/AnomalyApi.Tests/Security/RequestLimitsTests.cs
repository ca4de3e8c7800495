using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AnomalyApi.Contracts;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AnomalyApi.Tests.Security;

public sealed class RequestLimitsTests(AnomalyApiFactory factory) : IClassFixture<AnomalyApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Theory]
    [InlineData("/predict", """{"features":""", "}")]
    [InlineData("/predict/batch", """{"instances":""", "}")]
    [InlineData("/predict", "", "")]
    public async Task Json_NestedDeeperThanTheDefaultLimit_Returns400NamingBody(string route, string prefix, string suffix)
    {
        // 17 arrays inside whatever encloses them: over the default Limits:JsonMaxDepth of 16.
        var body = prefix + new string('[', 17) + "1" + new string(']', 17) + suffix;

        var response = await _client.PostAsync(route, Json(body));

        var message = await ProblemAssert.HasErrorAsync(response, HttpStatusCode.BadRequest, "body");
        Assert.Contains("Limits:JsonMaxDepth", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_ExtremelyDeep_Returns400NotA500()
    {
        var body = new string('[', 100_000) + new string(']', 100_000);

        var response = await _client.PostAsync("/predict/batch", Json(body));

        await ProblemAssert.HasErrorAsync(response, HttpStatusCode.BadRequest, "body");
    }

    [Fact]
    public async Task Json_DepthLimitIsConfigurable()
    {
        await using var strict = AnomalyApiFactory.With(("Limits:JsonMaxDepth", "3"));
        var client = strict.CreateClient();
        var row = TestModel.ToJsonArray(TestModel.RowAt(0.5)).ToJsonString();

        // Three levels (body, instances, row) is what a batch needs, and is allowed.
        var ok = await client.PostAsync("/predict/batch", Json($$"""{"instances":[{{row}}]}"""));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        var deeper = await client.PostAsync("/predict/batch", Json($$"""{"instances":[[{{row}}]]}"""));
        var message = await ProblemAssert.HasErrorAsync(deeper, HttpStatusCode.BadRequest, "body");
        Assert.Contains("deeper than 3 levels", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_WithinTheDepthLimitButMistyped_StillNamesTheField()
    {
        var response = await _client.PostAsync("/predict", Json("""{"features":[[1]]}"""));

        await ProblemAssert.HasErrorAsync(response, HttpStatusCode.BadRequest, "features[0]");
    }

    [Theory]
    [InlineData(" {}")]
    [InlineData("{\"features\":[]} x")]
    [InlineData("{} {}")]
    public async Task Json_WithContentAfterTheObject_Returns400NamingBody(string tail)
    {
        var row = TestModel.ToJsonArray(TestModel.RowAt(0.5)).ToJsonString();

        var response = await _client.PostAsync("/predict", Json($$"""{"features":{{row}}}""" + tail));

        await ProblemAssert.HasErrorAsync(response, HttpStatusCode.BadRequest, "body");
    }

    [Fact]
    public async Task Json_WithTrailingWhitespace_IsAccepted()
    {
        var row = TestModel.ToJsonArray(TestModel.RowAt(0.5)).ToJsonString();

        var response = await _client.PostAsync("/predict", Json($$"""{"features":{{row}}}""" + " \r\n\t "));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Csv_WithALineOverTheLimit_Returns400NamingCsvAndTheLine()
    {
        await using var limited = AnomalyApiFactory.With(("Limits:MaxCsvLineBytes", "2048"));
        var client = limited.CreateClient();
        var csv = TestModel.Csv(TestModel.RowAt(0.5), TestModel.RowAt(0.4)).Split('\n');
        // A long timestamp on the second data row (line 3).
        csv[2] = new string('9', 3000) + csv[2][csv[2].IndexOf(',', StringComparison.Ordinal)..];

        var response = await client.PostAsync("/predict/csv", Csv(string.Join('\n', csv)));

        var message = await ProblemAssert.HasErrorAsync(response, HttpStatusCode.BadRequest, "csv");
        Assert.Contains("line 3", message, StringComparison.Ordinal);
        Assert.Contains("Limits:MaxCsvLineBytes", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csv_WithAHeaderOverTheLimit_Returns400NamingTheHeader()
    {
        await using var limited = AnomalyApiFactory.With(("Limits:MaxCsvLineBytes", "256"));
        var client = limited.CreateClient();

        var response = await client.PostAsync("/predict/csv", Csv(TestModel.Csv(TestModel.RowAt(0.5))));

        var message = await ProblemAssert.HasErrorAsync(response, HttpStatusCode.BadRequest, "csv.header");
        Assert.Contains("line 1", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csv_WithLinesJustWithinTheLimit_IsScored()
    {
        var csv = TestModel.Csv(TestModel.RowAt(0.5));
        var longest = csv.Split('\n').Max(l => Encoding.UTF8.GetByteCount(l));
        await using var limited = AnomalyApiFactory.With(("Limits:MaxCsvLineBytes", longest.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        var response = await limited.CreateClient().PostAsync("/predict/csv", Csv(csv.Replace("\n", "\r\n", StringComparison.Ordinal)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Csv_WithMoreRowsThanMaxBatchSize_Returns413NamingCsv()
    {
        await using var limited = AnomalyApiFactory.With(("Scoring:MaxBatchSize", "2"));

        var response = await limited.CreateClient().PostAsync("/predict/csv",
            Csv(TestModel.Csv(TestModel.RowAt(0.5), TestModel.RowAt(0.5), TestModel.RowAt(0.5))));

        await ProblemAssert.HasErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "csv");
    }

    [Theory]
    [InlineData("/swagger/index.html")]
    [InlineData("/swagger/v1/swagger.json")]
    public async Task Swagger_SwitchedOff_Is404(string path)
    {
        await using var off = AnomalyApiFactory.With(("Swagger:Enabled", "false"));

        var response = await off.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync(path)).StatusCode);
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task UnexpectedException_HasNoStackTraceInAnyEnvironment(string environment)
    {
        await using var faulty = new AnomalyApiFactory();
        var client = faulty.WithWebHostBuilder(builder => builder
            .UseEnvironment(environment)
            .ConfigureTestServices(services => services.AddSingleton<IValidator<PredictRequest>, ExplodingValidator>()))
            .CreateClient();

        var response = await client.PostAsync("/predict", Json(new JsonObject { ["features"] = TestModel.ToJsonArray(TestModel.RowAt(0.5)) }.ToJsonString()));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("secret-detail", body, StringComparison.Ordinal);
        Assert.DoesNotContain("ExplodingValidator", body, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static StringContent Csv(string body) => new(body, Encoding.UTF8, "text/csv");

    private sealed class ExplodingValidator : AbstractValidator<PredictRequest>
    {
        // The service validates synchronously (RequestGate); both are covered so the fault does not depend on which.
        public override ValidationResult Validate(ValidationContext<PredictRequest> context) =>
            throw new InvalidOperationException("secret-detail");

        public override Task<ValidationResult> ValidateAsync(ValidationContext<PredictRequest> context, CancellationToken cancellation = default) =>
            throw new InvalidOperationException("secret-detail");
    }
}
