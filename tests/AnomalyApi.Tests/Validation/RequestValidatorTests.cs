using AnomalyApi.Contracts;
using AnomalyApi.Model;
using AnomalyApi.Scoring;
using AnomalyApi.Validation;
using FluentValidation.Results;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AnomalyApi.Tests.Validation;

/// <summary>The validators without a host, against the shipped model's feature list.</summary>
public sealed class RequestValidatorTests
{
    private static readonly Lazy<ModelProvider> Model = new(() =>
    {
        var provider = new ModelProvider(Options.Create(new ModelOptions { Directory = TestModel.Directory }),
            new TestEnvironment(), NullLogger<ModelProvider>.Instance);
        provider.Load();
        return provider;
    });

    private static readonly IOptions<ScoringOptions> Scoring = Options.Create(new ScoringOptions { MaxBatchSize = 3 });

    [Fact]
    public void PredictValidator_WithCompleteFeatures_IsValid()
    {
        var result = new PredictRequestValidator(Model.Value).Validate(new PredictRequest(TestModel.RowAt(0.5), null, null));

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }

    [Fact]
    public void PredictValidator_WithTooFewFeatures_NamesFeatures()
    {
        var result = new PredictRequestValidator(Model.Value).Validate(new PredictRequest(new float[5], null, null));

        var error = Assert.Single(result.Errors);
        Assert.Equal("features", error.PropertyName);
        Assert.Contains("has 5 values, but the model reads 38", error.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void PredictValidator_WithValuesMissingOneAndAddingOne_NamesBoth()
    {
        var values = TestModel.Features.Skip(1).ToDictionary(f => f, _ => 0.5f);
        values["extra"] = 1;

        var result = new PredictRequestValidator(Model.Value).Validate(new PredictRequest(null, values, null));

        Assert.Equal(["values.extra", $"values.{TestModel.Features[0]}"], Keys(result));
    }

    [Fact]
    public void PredictValidator_WithFeatureNamesAndValues_RejectsFeatureNames()
    {
        var values = TestModel.Features.ToDictionary(f => f, _ => 0.5f);

        var result = new PredictRequestValidator(Model.Value).Validate(new PredictRequest(null, values, [.. TestModel.Features]));

        Assert.Equal(["featureNames"], Keys(result));
    }

    [Fact]
    public void PredictValidator_WithFeatureNamesOfWrongLength_NamesFeatureNames()
    {
        var result = new PredictRequestValidator(Model.Value).Validate(
            new PredictRequest(TestModel.RowAt(0.5), null, [.. TestModel.Features.Take(10)]));

        Assert.Equal(["featureNames"], Keys(result));
    }

    [Fact]
    public void PredictValidator_WithManyMisorderedNames_ListsOnlyTheFirstFivePositions()
    {
        var reversed = TestModel.Features.Reverse().ToArray();

        var result = new PredictRequestValidator(Model.Value).Validate(new PredictRequest(TestModel.RowAt(0.5), null, reversed));

        Assert.Equal(["featureNames", "featureNames[0]", "featureNames[1]", "featureNames[2]", "featureNames[3]", "featureNames[4]"], Keys(result));
        Assert.Contains("at 38 position(s), first at 0, 1, 2, 3, 4", result.Errors[0].ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void BatchValidator_OverTheLimit_IsTooLargeNotInvalid()
    {
        var rows = Enumerable.Repeat(FeatureRow.FromValues(TestModel.RowAt(0.5)), 4).ToList();

        var result = new BatchPredictRequestValidator(Model.Value, Scoring).Validate(new BatchPredictRequest(rows));

        var error = Assert.Single(result.Errors);
        Assert.Equal(RequestGate.TooLargeErrorCode, error.ErrorCode);
        Assert.Equal("instances", error.PropertyName);
    }

    [Fact]
    public void BatchValidator_WithMixedBadRows_NamesEachRow()
    {
        var named = TestModel.Features.Select(f => KeyValuePair.Create(f, 0.5f)).ToList();
        named.Add(KeyValuePair.Create(TestModel.Features[3], 0.5f));
        var rows = new List<FeatureRow>
        {
            FeatureRow.FromValues(TestModel.RowAt(0.5)),
            FeatureRow.FromValues(new float[2]),
            FeatureRow.FromNamed(named),
        };

        var result = new BatchPredictRequestValidator(Model.Value, Scoring).Validate(new BatchPredictRequest(rows));

        Assert.Equal(["instances[1]", $"instances[2].{TestModel.Features[3]}"], Keys(result));
    }

    [Fact]
    public void BatchValidator_WithManyBadRows_StopsListingAfterTwenty()
    {
        var rows = Enumerable.Repeat(FeatureRow.FromValues(new float[1]), 30).ToList();

        var result = new BatchPredictRequestValidator(Model.Value, Options.Create(new ScoringOptions())).Validate(new BatchPredictRequest(rows));

        Assert.Equal(21, result.Errors.Count);
        Assert.Contains("only the first 20 invalid rows", result.Errors[^1].ErrorMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "has a header but no data rows", "")]
    [InlineData(4, "more than 3 data rows", RequestGate.TooLargeErrorCode)]
    public void CsvValidator_ChecksTheRowCount(int rows, string message, string errorCode)
    {
        var csv = CsvBatch.Parse(System.Text.Encoding.UTF8.GetBytes(TestModel.Csv(Enumerable.Repeat(TestModel.RowAt(0.5), rows).ToArray())),
            TestModel.Features, maxRows: 3);

        var result = new CsvBatchValidator(Scoring).Validate(csv);

        var error = Assert.Single(result.Errors);
        Assert.Equal("csv", error.PropertyName);
        Assert.Contains(message, error.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(errorCode, error.ErrorCode ?? "");
    }

    private static string[] Keys(ValidationResult result) => [.. result.Errors.Select(e => e.PropertyName)];

    private sealed class TestEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Test";

        public string ApplicationName { get; set; } = "AnomalyApi";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
