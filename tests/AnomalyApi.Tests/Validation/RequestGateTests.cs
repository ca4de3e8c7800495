using AnomalyApi.Http;
using AnomalyApi.Model;
using AnomalyApi.Validation;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AnomalyApi.Tests.Validation;

/// <summary>
/// The scoring handlers' first step, without a host: which answer each kind of unscorable request gets, in which
/// order the checks run, and that a scorable request passes. The answers' bodies over HTTP are BadInputTests' job.
/// </summary>
public sealed class RequestGateTests : IDisposable
{
    private readonly ModelProvider _model = new(Options.Create(new ModelOptions { Directory = TestModel.Directory }),
        new TestEnvironment(), NullLogger<ModelProvider>.Instance);

    private readonly InlineValidator<Sample> _validator = new();

    private int _validations;

    public RequestGateTests() =>
        _validator.RuleFor(sample => sample.Rows).Custom((rows, context) =>
        {
            _validations++;
            if (rows < 1)
            {
                context.AddFailure(new ValidationFailure("rows", "must be at least 1"));
                context.AddFailure(new ValidationFailure("rows", "is not a number of rows"));
            }
            if (rows > 3)
            {
                context.AddFailure(new ValidationFailure("rows", "more than 3") { ErrorCode = RequestGate.TooLargeErrorCode });
            }
        });

    public void Dispose() => _model.Dispose();

    [Fact]
    public void Check_BeforeTheModelIsLoaded_Answers503_WithoutValidating()
    {
        var rejection = Gate().Check(new DefaultHttpContext(), new Sample(null, 1));

        Assert.NotNull(rejection);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, rejection.StatusCode);
        var problem = Assert.IsType<ProblemHttpResult>(rejection.Answer);
        Assert.Equal("The model is not ready.", problem.ProblemDetails.Title);
        Assert.Equal(0, _validations);
    }

    [Fact]
    public void Check_WithABindingProblem_AnswersIt_WithoutValidating()
    {
        _model.Load();
        var unsupported = RequestProblem.UnsupportedMediaType("text/plain", "application/json");

        var rejection = Gate().Check(new DefaultHttpContext(), new Sample(unsupported, 1));

        Assert.NotNull(rejection);
        Assert.Equal(StatusCodes.Status415UnsupportedMediaType, rejection.StatusCode);
        var details = Assert.IsType<HttpValidationProblemDetails>(Assert.IsType<ProblemHttpResult>(rejection.Answer).ProblemDetails);
        Assert.Equal(unsupported.Errors, details.Errors);
        Assert.Equal(0, _validations);
    }

    [Fact]
    public void Check_WhenTheValidatorFails_Answers400_WithEveryMessageUnderItsField()
    {
        _model.Load();

        var rejection = Gate().Check(new DefaultHttpContext(), new Sample(null, 0));

        Assert.NotNull(rejection);
        Assert.Equal(StatusCodes.Status400BadRequest, rejection.StatusCode);
        var problem = Assert.IsType<ValidationProblem>(rejection.Answer);
        Assert.Equal("The request is invalid.", problem.ProblemDetails.Title);
        Assert.Equal(["must be at least 1", "is not a number of rows"], Assert.Single(problem.ProblemDetails.Errors, e => e.Key == "rows").Value);
    }

    [Fact]
    public void Check_WhenAFailureSaysTooLarge_Answers413_WithTheSameErrorsMap()
    {
        _model.Load();

        var rejection = Gate().Check(new DefaultHttpContext(), new Sample(null, 4));

        Assert.NotNull(rejection);
        Assert.Equal(StatusCodes.Status413PayloadTooLarge, rejection.StatusCode);
        var problem = Assert.IsType<ProblemHttpResult>(rejection.Answer);
        Assert.Equal("The request is too large.", problem.ProblemDetails.Title);
        Assert.Equal(["more than 3"], Assert.IsType<HttpValidationProblemDetails>(problem.ProblemDetails).Errors["rows"]);
    }

    [Fact]
    public void Check_AValidRequestOnALoadedModel_PassesAfterOneValidation()
    {
        _model.Load();

        var rejection = Gate().Check(new DefaultHttpContext(), new Sample(null, 2));

        Assert.Null(rejection);
        Assert.Equal(1, _validations);
    }

    private RequestGate<Sample> Gate() => new(_model, _validator, NullLoggerFactory.Instance);

    /// <summary>A bound request with a row count for the validator to judge.</summary>
    public sealed record Sample(RequestProblem? BindingProblem, int Rows) : IBoundRequest;

    private sealed class TestEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Test";

        public string ApplicationName { get; set; } = "AnomalyApi";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
