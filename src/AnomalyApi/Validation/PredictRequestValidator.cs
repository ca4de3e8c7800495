using AnomalyApi.Contracts;
using AnomalyApi.Model;
using FluentValidation;
using FluentValidation.Results;

namespace AnomalyApi.Validation;

/// <summary>POST /predict: exactly one of features/values, each complete for the loaded model.</summary>
public sealed class PredictRequestValidator : AbstractValidator<PredictRequest>
{
    public PredictRequestValidator(ModelProvider model)
    {
        // One rule over the whole request: which form was sent decides which checks apply.
        RuleFor(request => request.Features).Custom((_, context) =>
        {
            var request = context.InstanceToValidate;
            var features = model.Scorer.Config.Features;
            switch (request)
            {
                case { Features: null, Values: null }:
                    context.AddFailure(new ValidationFailure("body",
                        "must contain 'features' (an array in the model's order) or 'values' (an object naming every feature)"));
                    break;
                case { Features: not null, Values: not null }:
                    context.AddFailure(new ValidationFailure("values", "cannot be sent together with 'features'; send one of them"));
                    break;
                case { Features: { } ordered }:
                    FeatureRules.CheckOrdered(context, "features", ordered, features);
                    if (request.FeatureNames is { } names)
                    {
                        FeatureRules.CheckFeatureNames(context, "featureNames", names, features);
                    }
                    break;
                case { Values: { } named }:
                    FeatureRules.CheckNamed(context, "values", named, features, model.FeatureIndex);
                    if (request.FeatureNames is not null)
                    {
                        context.AddFailure(new ValidationFailure("featureNames", "only applies to 'features'; 'values' names each value already"));
                    }
                    break;
            }
        });
    }
}
