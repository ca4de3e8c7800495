using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace AnomalyApi.Tests.Endpoints;

/// <summary>Every class of client mistake gets its exact 4xx and a problem whose errors map names the field.</summary>
public sealed class BadInputTests(AnomalyApiFactory factory) : IClassFixture<AnomalyApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private static string Features(Func<string[], string[]>? change = null)
    {
        var values = TestModel.RowAt(0.5).Select(v => v.ToString("R", CultureInfo.InvariantCulture)).ToArray();
        return $$"""{"features":[{{string.Join(",", change?.Invoke(values) ?? values)}}]}""";
    }

    private static string[] Replace(string[] values, int index, string json)
    {
        values[index] = json;
        return values;
    }

    public static TheoryData<string, string, string> BadPredictBodies => new()
    {
        // body, field, words the message must contain
        { Features(v => v[..37]), "features", "has 37 values, but the model reads 38" },
        { Features(v => [.. v, "1"]), "features", "has 39 values" },
        { Features(v => Replace(v, 3, "\"0.5\"")), "features[3]", "must be a number, not a string" },
        { Features(v => Replace(v, 3, "null")), "features[3]", "must be a number, not null" },
        { Features(v => Replace(v, 3, "true")), "features[3]", "must be a number, not a boolean" },
        { Features(v => Replace(v, 3, "[1]")), "features[3]", "must be a number, not an array" },
        { Features(v => Replace(v, 3, "NaN")), "features[3]", "invalid start of a value" },
        { Features(v => Replace(v, 3, "Infinity")), "features[3]", "invalid start of a value" },
        { Features(v => Replace(v, 3, "-Infinity")), "features[3]", "" },
        { Features(v => Replace(v, 3, "\"NaN\"")), "features[3]", "'NaN' is not allowed" },
        { Features(v => Replace(v, 3, "\"Infinity\"")), "features[3]", "'Infinity' is not allowed" },
        { Features(v => Replace(v, 3, "\"-Infinity\"")), "features[3]", "'-Infinity' is not allowed" },
        { Features(v => Replace(v, 3, "1e39")), "features[3]", "outside the float32 range" },
        { Features(v => Replace(v, 3, "-1e39")), "features[3]", "outside the float32 range" },
        { Features(v => Replace(v, 3, "1e400")), "features[3]", "outside the float32 range" },
        { """{"features":"0.5"}""", "features", "expected an array of numbers" },
        { """{"values":[1,2]}""", "values", "expected an object" },
        { """{"features":[0.5,0.5""", "features[1]", "" },
        { """{"features":[0.5]} trailing""", "body", "" },
        { "null", "body", "must be a JSON object" },
        { "[0.5, 0.5]", "body", "expected a JSON object" },
        { "{}", "body", "must contain 'features'" },
        { """{"feature":[0.5]}""", "feature", "is not a field of this request" },
        { """{"features":[1],"features":[2]}""", "features", "appears more than once" },
        { """{"values":{"cpu_0_idle":0.5,"cpu_0_idle":0.6}}""", "values.cpu_0_idle", "appears more than once" },
        { """{"values":{"cpu_0_idle":"high"}}""", "values.cpu_0_idle", "must be a number, not a string" },
        { """{"values":{"cpu_0_idle":null}}""", "values.cpu_0_idle", "must be a number, not null" },
        { """{"values":{"cpu_0_idle":1e39}}""", "values.cpu_0_idle", "outside the float32 range" },
    };

    [Theory]
    [MemberData(nameof(BadPredictBodies))]
    public async Task Predict_WithBadJson_ReturnsProblemNamingTheField(string body, string field, string message)
    {
        var response = await PostJsonAsync("/predict", body);

        var text = await ProblemAssert.HasErrorAsync(response, HttpStatusCode.BadRequest, field);
        Assert.Contains(message, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Predict_WithValuesMissingUnknownAndFeaturesTogether_NamesEachProblem()
    {
        var values = TestModel.ToJsonObject(TestModel.RowAt(0.5));
        values.Remove("memory_used_bytes");
        values["gpu_0_util"] = 0.5;

        var response = await PostJsonAsync("/predict", new JsonObject { ["values"] = values }.ToJsonString());

        Assert.Contains("is missing", await ProblemAssert.HasErrorAsync(response, HttpStatusCode.BadRequest, "values.memory_used_bytes"));
        Assert.Contains("not a feature of the model", await ProblemAssert.HasErrorAsync(response, HttpStatusCode.BadRequest, "values.gpu_0_util"));
    }

    [Fact]
    public async Task Predict_WithBothFeaturesAndValues_ReturnsProblemNamingValues()
    {
        var row = TestModel.RowAt(0.5);
        var body = new JsonObject { ["features"] = TestModel.ToJsonArray(row), ["values"] = TestModel.ToJsonObject(row) };

        var response = await PostJsonAsync("/predict", body.ToJsonString());

        await ProblemAssert.HasErrorAsync(response, HttpStatusCode.BadRequest, "values");
    }

    [Fact]
    public async Task Predict_WithFeatureNamesInAnotherOrder_NamesTheFirstMismatchedPositions()
    {
        var names = TestModel.Features.ToArray();
        (names[2], names[5]) = (names[5], names[2]);
        var body = new JsonObject
        {
            ["features"] = TestModel.ToJsonArray(TestModel.RowAt(0.5)),
            ["featureNames"] = new JsonArray([.. names.Select(n => (JsonNode)JsonValue.Create(n))]),
        };

        var response = await PostJsonAsync("/predict", body.ToJsonString());

        Assert.Contains("2, 5", await ProblemAssert.HasErrorAsync(response, HttpStatusCode.BadRequest, "featureNames"));
        Assert.Contains("'cpu_0_steal', but the model's feature 2 is 'cpu_0_irq'",
            await ProblemAssert.HasErrorAsync(response, HttpStatusCode.BadRequest, "featureNames[2]"));
        await ProblemAssert.HasErrorAsync(response, HttpStatusCode.BadRequest, "featureNames[5]");
    }

    [Fact]
    public async Task Predict_WithEmptyBody_ReturnsProblemNamingTheBody()
    {
        var response = await PostJsonAsync("/predict", "");

        Assert.Contains("is empty", await ProblemAssert.HasErrorAsync(response, HttpStatusCode.BadRequest, "body"));
    }

    [Theory]
    [InlineData("/predict", "text/plain", "application/json")]
    [InlineData("/predict/batch", "application/xml", "application/json")]
    [InlineData("/predict/csv", "application/json", "text/csv")]
    public async Task Post_WithWrongContentType_Returns415NamingContentType(string path, string contentType, string expected)
    {
        var response = await _client.PostAsync(path, new StringContent("{}", Encoding.UTF8, contentType));

        var text = await ProblemAssert.HasErrorAsync(response, HttpStatusCode.UnsupportedMediaType, "Content-Type");
        Assert.Contains(contentType, text, StringComparison.Ordinal);
        Assert.Contains(expected, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Predict_WithoutContentType_Returns415()
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Features()));

        var response = await _client.PostAsync("/predict", content);

        Assert.Contains("is missing", await ProblemAssert.HasErrorAsync(response, HttpStatusCode.UnsupportedMediaType, "Content-Type"));
    }

    public static TheoryData<string, string, string> BadBatchBodies => new()
    {
        { """{"instances":[]}""", "instances", "at least one row" },
        { """{}""", "instances", "at least one row" },
        { """{"instances":null}""", "instances", "at least one row" },
        { """{"instances":{"a":1}}""", "instances", "expected an array of rows" },
        { """{"instances":[[0.5,0.5]]}""", "instances[0]", "has 2 values, but the model reads 38" },
        { """{"instances":[[0.5,"x"]]}""", "instances[0][1]", "must be a number, not a string" },
        { """{"instances":[[0.5,null]]}""", "instances[0][1]", "must be a number, not null" },
        { """{"instances":[[0.5,"NaN"]]}""", "instances[0][1]", "'NaN' is not allowed" },
        { """{"instances":[[0.5,1e39]]}""", "instances[0][1]", "outside the float32 range" },
        // A syntax error inside a row is found while the row is read ahead as a whole: the row is named, the byte too.
        { """{"instances":[[0.5],[0.5,NaN]]}""", "instances[1]", "invalid start of a value (line 1, byte 26)" },
        { """{"instances":[{"cpu_0_idle":"x"}]}""", "instances[0].cpu_0_idle", "must be a number" },
        { """{"instances":[{"cpu_0_idle":0.1}]}""", "instances[0].memory_used_bytes", "is missing" },
        { """{"instances":[{"bogus":0.1}]}""", "instances[0].bogus", "not a feature of the model" },
        { """{"instances":[{"cpu_0_idle":0.1,"cpu_0_idle":0.2}]}""", "instances[0].cpu_0_idle", "appears more than once" },
        { """{"instances":[7]}""", "instances[0]", "must be an array of numbers or an object" },
        { """{"instances":[null]}""", "instances[0]", "must be an array of numbers or an object" },
    };

    [Theory]
    [MemberData(nameof(BadBatchBodies))]
    public async Task PredictBatch_WithBadJson_ReturnsProblemNamingTheRow(string body, string field, string message)
    {
        var response = await PostJsonAsync("/predict/batch", body);

        Assert.Contains(message, await ProblemAssert.HasErrorAsync(response, HttpStatusCode.BadRequest, field), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PredictBatch_OverMaxBatchSize_Returns413()
    {
        var row = TestModel.ToJsonArray(TestModel.RowAt(0.5)).ToJsonString();
        var body = $$"""{"instances":[{{string.Join(",", Enumerable.Repeat(row, 4097))}}]}""";

        var response = await PostJsonAsync("/predict/batch", body);

        Assert.Contains("4097 rows, but at most 4096",
            await ProblemAssert.HasErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "instances"));
    }

    public static TheoryData<string, string, string> BadCsvBodies
    {
        get
        {
            var features = TestModel.Features;
            var header = "timestamp," + string.Join(",", features);
            var good = "t," + string.Join(",", TestModel.RowAt(0.5).Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
            string Cell(string value) => "t," + value + good[(good.IndexOf(',', 2))..];
            return new()
            {
                { "", "csv.header", "empty" },
                { "timestamp,cpu_0_idle\nt,0.5\n", "csv.header.cpu_0_iowait", "lacks 37 of the model's features" },
                { header + ",cpu_0_idle\n", "csv.header.cpu_0_idle", "more than once" },
                { header + "\n", "csv", "no data rows" },
                { $"{header}\n{good}\n{Cell("abc")}\n", "csv.row[2].cpu_0_idle", "'abc' is not a number" },
                { $"{header}\n{Cell("")}\n", "csv.row[1].cpu_0_idle", "is empty" },
                { $"{header}\n{Cell("NaN")}\n", "csv.row[1].cpu_0_idle", "not a finite float32" },
                { $"{header}\n{Cell("-Infinity")}\n", "csv.row[1].cpu_0_idle", "not a finite float32" },
                { $"{header}\n{Cell("1e39")}\n", "csv.row[1].cpu_0_idle", "not a finite float32" },
                { $"{header}\n{good}\nt,0.5,0.5\n", "csv.row[2]", "has 3 cells, but the header has 39" },
                { $"{header}\n{good}\n{Cell("0.5\"x")}\n", "csv.row[2]", "not well-formed CSV: a quote is misplaced" },
            };
        }
    }

    [Theory]
    [MemberData(nameof(BadCsvBodies))]
    public async Task PredictCsv_WithBadHeaderOrCell_ReturnsProblemNamingRowAndColumn(string csv, string field, string message)
    {
        var response = await _client.PostAsync("/predict/csv", new StringContent(csv, Encoding.UTF8, "text/csv"));

        Assert.Contains(message, await ProblemAssert.HasErrorAsync(response, HttpStatusCode.BadRequest, field), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PredictCsv_WithBadCellWhileAskingForNdjson_Returns400BeforeStreaming()
    {
        // A bad cell past the first streaming chunk still answers 400: the whole file is checked before the 200.
        var lines = TestModel.Csv(TestModel.Rows(300)).Split('\n');
        var cells = lines[298].Split(',');
        cells[1] = "oops";
        lines[298] = string.Join(',', cells);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/predict/csv")
        {
            Content = new StringContent(string.Join('\n', lines), Encoding.UTF8, "text/csv"),
        };
        request.Headers.Accept.ParseAdd("application/x-ndjson");

        var response = await _client.SendAsync(request);

        // TestModel.Csv writes the features in reverse order, so the first cell after the timestamp is the last feature.
        await ProblemAssert.HasErrorAsync(response, HttpStatusCode.BadRequest, $"csv.row[298].{TestModel.Features[^1]}");
    }

    [Fact]
    public async Task PredictCsv_OverMaxBatchSize_Returns413()
    {
        var csv = TestModel.Csv(Enumerable.Repeat(TestModel.RowAt(0.5), 4097).ToArray());

        var response = await _client.PostAsync("/predict/csv", new StringContent(csv, Encoding.UTF8, "text/csv"));

        Assert.Contains("more than 4096 data rows", await ProblemAssert.HasErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "csv"));
    }

    [Fact]
    public async Task UnknownRoute_ReturnsProblemDetails404()
    {
        var response = await _client.GetAsync("/predictions");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ArbitraryGarbage_NeverGetsA5xxAndTheServiceKeepsServing()
    {
        var random = new Random(1234);
        var valid = Encoding.UTF8.GetBytes(Features());
        string[] paths = ["/predict", "/predict/batch", "/predict/csv"];
        for (var i = 0; i < 300; i++)
        {
            var body = (byte[])valid.Clone();
            for (var flips = random.Next(1, 8); flips > 0; flips--)
            {
                body[random.Next(body.Length)] = (byte)random.Next(256);
            }
            var path = paths[i % paths.Length];
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new(path.EndsWith("/csv", StringComparison.Ordinal) ? "text/csv" : "application/json");

            var response = await _client.PostAsync(path, content);

            Assert.True((int)response.StatusCode is >= 200 and < 500,
                $"{path} answered {(int)response.StatusCode} to {Convert.ToBase64String(body)}: {await response.Content.ReadAsStringAsync()}");
        }
        Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync("/predict", Features())).StatusCode);
    }

    private Task<HttpResponseMessage> PostJsonAsync(string path, string json) =>
        _client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
}
