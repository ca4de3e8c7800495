using AnomalyApi.Contracts;
using AnomalyApi.Model;
using AnomalyApi.Scoring;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.Extensions.Options;

namespace AnomalyApi.Validation;

/// <summary>POST /predict/batch: 1..Scoring:MaxBatchSize rows (more is a 413), each complete for the loaded model.</summary>
public sealed class BatchPredictRequestValidator : AbstractValidator<BatchPredictRequest>
{
    /// <summary>Rows whose problems are listed one by one; past this a summary stands for the rest.</summary>
    private const int MaxRowsReported = 20;

    public BatchPredictRequestValidator(ModelProvider model, IOptions<ScoringOptions> options)
    {
        RuleFor(request => request.Instances).Custom((instances, context) =>
        {
            var maxRows = options.Value.MaxBatchSize;
            if (instances is null || instances.Count == 0)
            {
                context.AddFailure(new ValidationFailure("instances", "must contain at least one row"));
                return;
            }
            if (instances.Count > maxRows)
            {
                context.AddFailure(new ValidationFailure("instances",
                    $"has {instances.Count} rows, but at most {maxRows} are accepted (Scoring:MaxBatchSize)")
                { ErrorCode = RequestGate.TooLargeErrorCode });
                return;
            }

            var features = model.Scorer.Config.Features;
            var invalidRows = 0;
            for (var i = 0; i < instances.Count; i++)
            {
                var field = $"instances[{i}]";
                var valid = instances[i].Ordered is { } ordered
                    ? FeatureRules.CheckOrdered(context, field, ordered, features)
                    : FeatureRules.CheckNamed(context, field, instances[i].Named!, features, model.FeatureIndex);
                if (!valid && ++invalidRows == MaxRowsReported && i < instances.Count - 1)
                {
                    context.AddFailure(new ValidationFailure("instances",
                        $"only the first {MaxRowsReported} invalid rows are listed; rows after instances[{i}] were not checked"));
                    return;
                }
            }
        }).When(static request => request.Matrix is null); // the fast path reads only rows that pass these rules
    }
}
