using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using AnomalyApi.Contracts;
using AnomalyApi.Contracts.Protobuf;
using AnomalyApi.Model;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace AnomalyApi.OpenApi;

/// <summary>
/// Gives each request body a working example for every form it accepts, built from the loaded model: a row the
/// model finds normal (<see cref="Core.Scoring.AnomalyScorer.TypicalRow"/>), so "Try it out" scores 200 and
/// not anomalous on whatever model is served, and for batches a second row a quarter up each feature's range,
/// which usually is anomalous. The first example of each body is the one Swagger UI pre-fills.
/// </summary>
public sealed class RequestExamplesFilter(ModelProvider model) : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (!model.IsReady || operation.RequestBody is not OpenApiRequestBody { Content: { } content } body)
        {
            return;
        }
        body.Required = true;
        var config = model.Scorer.Config;
        var features = config.Features;
        var typical = model.Scorer.TypicalRow();
        // A second, slightly different row for the batch examples.
        var nearLow = Enumerable.Range(0, features.Count)
            .Select(i => (float)(config.Normalization.Min[i] + (config.Normalization.Max[i] - config.Normalization.Min[i]) / 4))
            .ToArray();

        switch (operation.OperationId)
        {
            case "Predict":
                SetExamples(content, "application/json",
                    ("features", "Raw values in the model's order", new JsonObject { ["features"] = Array(typical) }),
                    ("values", "Raw values by feature name", new JsonObject { ["values"] = Named(features, typical) }),
                    ("featuresWithNames", "Raw values with the order stated", new JsonObject
                    {
                        ["features"] = Array(typical),
                        ["featureNames"] = new JsonArray([.. features.Select(f => (JsonNode)JsonValue.Create(f))]),
                    }));
                break;
            case "PredictBatch":
                SetExamples(content, "application/json",
                    ("arrays", "Rows as arrays in the model's order", new JsonObject
                    {
                        ["instances"] = new JsonArray(Array(typical), Array(nearLow)),
                    }),
                    ("objects", "Rows as objects naming every feature", new JsonObject
                    {
                        ["instances"] = new JsonArray(Named(features, typical), Named(features, nearLow)),
                    }));
                DescribeProtobuf(content, "A BatchRequest message (src/AnomalyApi/Contracts/Protobuf/predict_batch.proto)");
                if (operation.Responses?.TryGetValue("200", out var batchOk) == true && batchOk is OpenApiResponse { Content: { } batchContent })
                {
                    DescribeProtobuf(batchContent, "A BatchResponse message, when the request was a BatchRequest");
                }
                break;
            case "PredictCsv":
                // The 200 is JSON by default and NDJSON on request; the NDJSON result's metadata displaced the JSON one.
                if (operation.Responses?.TryGetValue("200", out var ok) == true && ok is OpenApiResponse { Content: { } okContent })
                {
                    okContent["application/json"] = new OpenApiMediaType
                    {
                        Schema = context.SchemaGenerator.GenerateSchema(typeof(BatchPredictionResponse), context.SchemaRepository),
                    };
                }
                SetExamples(content, CsvBatch.ContentType,
                    ("csv", "A header naming the features, plus a timestamp column carried through as each row's id",
                        JsonValue.Create(Csv(features, ("2024-05-01T12:00:00Z", typical), ("2024-05-01T12:00:15Z", nearLow)))));
                break;
        }
    }

    // Swagger has no schema language for protocol buffers: say it is binary and where its contract is.
    private static void DescribeProtobuf(IDictionary<string, IOpenApiMediaType> content, string description)
    {
        foreach (var type in BatchProtobufReader.ContentTypes)
        {
            content[type] = new OpenApiMediaType
            {
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = description },
            };
        }
    }

    private static void SetExamples(IDictionary<string, IOpenApiMediaType> content, string mediaType,
        params (string Name, string Summary, JsonNode Value)[] examples)
    {
        if (!content.TryGetValue(mediaType, out var media) || media is not OpenApiMediaType concrete)
        {
            return;
        }
        // Swagger UI pre-fills the first named example; "example" and "examples" may not both be set.
        concrete.Examples = examples.ToDictionary(
            e => e.Name,
            e => (IOpenApiExample)new OpenApiExample { Summary = e.Summary, Value = e.Value });
    }

    private static JsonArray Array(float[] values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);

    private static JsonObject Named(IReadOnlyList<string> features, float[] values)
    {
        var named = new JsonObject();
        for (var i = 0; i < features.Count; i++)
        {
            named[features[i]] = values[i];
        }
        return named;
    }

    private static string Csv(IReadOnlyList<string> features, params (string Timestamp, float[] Values)[] rows)
    {
        var csv = new StringBuilder("timestamp,").AppendJoin(',', features).Append('\n');
        foreach (var (timestamp, values) in rows)
        {
            csv.Append(timestamp).Append(',')
                .AppendJoin(',', values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))
                .Append('\n');
        }
        return csv.ToString();
    }
}
