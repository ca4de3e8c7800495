using AnomalyApi.Extensions;
using AnomalyApi.Model;
using AnomalyApi.Observability;
using AnomalyApi.OpenApi;
using AnomalyApi.Scoring;
using AnomalyApi.Security;
using Prometheus;

var builder = WebApplication.CreateBuilder(args);
builder.AddAnomalyApi();            // options, model, scoring, validators, JSON, problem details, health, Swagger, proxies

var app = builder.Build();
app.UseForwardedHeaders();          // X-Forwarded-For/Proto/Prefix from trusted proxies (loopback by default)
app.UseProxyPathBase();             // or the PathBase setting, for proxies that send no prefix header
app.UseExceptionHandler();          // the unexpected becomes a 500 problem, logged once
app.UseStatusCodePages();           // bare 404/405s get a problem body too
app.UseRouting();                   // after the path base is settled, so /anomaly/predict routes as /predict
app.UseAnomalyHttpMetrics();        // http_request_duration_seconds histograms per endpoint, http_requests_in_progress
app.UseAnomalySwagger();            // /swagger, with examples from the loaded model
app.UseAnomalyApiSecurity();        // X-API-Key (Auth:*), then the rate limiter when on (RateLimiting:*), then the keys' rule
app.UseBatchAdmission();            // /predict/batch and /predict/csv take turns (Scoring:MaxConcurrentBatches), bounding their memory
app.UseModelLeases();               // each request finishes on the model it started with, across reloads
app.MapAnomalyApi();                // /predict, /predict/batch, /predict/csv, /model, /health/live, /health/ready
app.MapMetrics().AllowAnonymous();  // /metrics for Prometheus, without a key

// Loads the model first: a bad model or setting exits non-zero with one log line naming the file or key.
return await app.RunAnomalyApiAsync();
