using System.Reflection;
using AnomalyApi.Http;
using AnomalyApi.Observability;
using FluentValidation;

namespace AnomalyApi.Validation;

/// <summary>
/// The one filter that answers invalid requests (TodoApi's WithParameterValidation shape): a problem found while
/// binding the body, then the FluentValidation validator of each validated argument. 400 is a
/// <c>ValidationProblem</c>; a failure carrying <see cref="TooLargeErrorCode"/> makes it a 413 with the same
/// errors map.
/// </summary>
public static class ValidationFilter
{
    /// <summary>ErrorCode of a validation failure that means "too many rows" (413), not "wrong" (400).</summary>
    public const string TooLargeErrorCode = "413";

    /// <summary>Adds the filter to every endpoint of the group that has a validated or self-binding argument.</summary>
    public static TBuilder WithRequestValidation<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilterFactory(static (factoryContext, next) =>
        {
            var services = factoryContext.ApplicationServices;
            // Validators are singletons (AddValidatorsFromAssemblyContaining): resolved once here, not per request.
            var checkedArguments = factoryContext.MethodInfo.GetParameters()
                .Select((parameter, index) => (Index: index, Validator: Validator(services, parameter), Bound: IsBound(parameter)))
                .Where(argument => argument.Validator is not null || argument.Bound)
                .ToArray();
            if (checkedArguments.Length == 0)
            {
                return next;
            }

            return async invocationContext =>
            {
                var http = invocationContext.HttpContext;
                foreach (var (index, validator, _) in checkedArguments)
                {
                    var argument = invocationContext.Arguments[index];
                    if (argument is IBoundRequest { BindingProblem: { } bindingProblem })
                    {
                        return Reject(http, bindingProblem);
                    }
                    if (argument is null || validator is null)
                    {
                        continue;
                    }
                    var result = await validator.ValidateAsync(new ValidationContext<object>(argument), http.RequestAborted);
                    if (!result.IsValid)
                    {
                        var tooLarge = result.Errors.Any(static e => e.ErrorCode == TooLargeErrorCode);
                        var errors = result.Errors
                            .GroupBy(static e => e.PropertyName, StringComparer.Ordinal)
                            .ToDictionary(static g => g.Key, static g => g.Select(static e => e.ErrorMessage).ToArray(), StringComparer.Ordinal);
                        return Reject(http, tooLarge
                            ? new RequestProblem(StatusCodes.Status413PayloadTooLarge, "The request is too large.", errors)
                            : new RequestProblem(StatusCodes.Status400BadRequest, "The request is invalid.", errors));
                    }
                }
                return await next(invocationContext);
            };
        });
        return builder;
    }

    private static IResult Reject(HttpContext http, RequestProblem problem)
    {
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ValidationFilter).FullName!);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            Log.RequestRejected(logger, http.Request.Method, http.Request.Path, problem.StatusCode,
                string.Join("; ", problem.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
        }
        return problem.ToResult();
    }

    private static IValidator? Validator(IServiceProvider services, ParameterInfo parameter)
    {
        var validatorType = typeof(IValidator<>).MakeGenericType(parameter.ParameterType);
        return services.GetService<IServiceProviderIsService>()?.IsService(validatorType) == true
            ? services.GetService(validatorType) as IValidator
            : null;
    }

    private static bool IsBound(ParameterInfo parameter) => typeof(IBoundRequest).IsAssignableFrom(parameter.ParameterType);
}
