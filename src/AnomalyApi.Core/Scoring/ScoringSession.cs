using AnomalyApi.Core.Configuration;
using Microsoft.ML.OnnxRuntime;

namespace AnomalyApi.Core.Scoring;

/// <summary>
/// One <see cref="InferenceSession"/> of the model and the workspaces bound to it. The scorer holds one per
/// processor, so that runs on different cores do not meet on one session's CPU arena lock (see
/// <see cref="AnomalyScorer"/>). Thread-safe, like the session: two callers may still share one.
/// </summary>
internal sealed class ScoringSession : IDisposable
{
    private readonly RunOptions _runOptions = new();

    /// <param name="session">Owned from here on: disposed with this, or at once if this cannot be made.</param>
    /// <param name="config">Names and widths of the model's input and output.</param>
    /// <param name="maxChunkRows">The largest workspace, a power of two.</param>
    public ScoringSession(InferenceSession session, ModelConfig config, int maxChunkRows)
    {
        Session = session;
        try
        {
            Workspaces = new WorkspacePool(
                maxChunkRows,
                rows => new ScoringWorkspace(session, config.InputName, config.OutputName, rows, config.FeatureCount, config.FeatureCount));
        }
        catch
        {
            session.Dispose();
            _runOptions.Dispose();
            throw;
        }
    }

    public InferenceSession Session { get; }

    /// <summary>Workspaces bound to <see cref="Session"/>, by row count; a workspace only runs on its own session.</summary>
    public WorkspacePool Workspaces { get; }

    /// <summary>Runs the model on a workspace rented from <see cref="Workspaces"/>: its input in, its output filled.</summary>
    public void Run(ScoringWorkspace workspace) => Session.RunWithBinding(_runOptions, workspace.Binding);

    public void Dispose()
    {
        Workspaces.Dispose();
        Session.Dispose();
        _runOptions.Dispose();
    }
}
