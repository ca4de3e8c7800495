using AnomalyApi.Contracts;
using AnomalyApi.Scoring;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.Extensions.Options;

namespace AnomalyApi.Validation;

/// <summary>
/// POST /predict/csv: at least one data row and at most Scoring:MaxBatchSize (more is a 413). Header and cells
/// were checked while binding, by Core's <c>TelemetryCsvReader</c>.
/// </summary>
public sealed class CsvBatchValidator : AbstractValidator<CsvBatch>
{
    public CsvBatchValidator(IOptions<ScoringOptions> options)
    {
        RuleFor(batch => batch.Rows).Custom((rows, context) =>
        {
            var maxRows = options.Value.MaxBatchSize;
            if (rows == 0)
            {
                context.AddFailure(new ValidationFailure("csv", "has a header but no data rows"));
            }
            else if (rows > maxRows)
            {
                context.AddFailure(new ValidationFailure("csv",
                    $"has more than {maxRows} data rows (Scoring:MaxBatchSize); split it into smaller requests")
                { ErrorCode = RequestGate.TooLargeErrorCode });
            }
        });
    }
}
