using Xunit.Abstractions;
using Xunit.Sdk;

namespace AnomalyApi.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Lines for a person reading the test run: to the test's own output (kept with its result, shown by `dotnet test`
/// for a failure) and as an xunit diagnostic message, which `dotnet test` prints at its default verbosity
/// (xunit.runner.json turns them on), so CI logs carry the measured numbers when everything passes too. Console
/// output from a test would be dropped.
/// </summary>
public sealed class TestReport(ITestOutputHelper output, IMessageSink diagnostics)
{
    public void Line(string text)
    {
        output.WriteLine(text);
        diagnostics.OnMessage(new DiagnosticMessage(text));
    }
}
