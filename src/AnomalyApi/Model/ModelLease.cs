namespace AnomalyApi.Model;

/// <summary>
/// A hold on one <see cref="LoadedModel"/>: while it is not disposed, that model's scorer is not disposed either,
/// even after a reload has replaced it. <see cref="ModelProvider.Acquire"/> also makes it the model
/// <see cref="ModelProvider.Model"/> answers for the rest of the caller's async flow, so everything a request does
/// (binding, validation, scoring, streaming) uses the one model it started with.
/// </summary>
public sealed class ModelLease : IDisposable
{
    private readonly Action<ModelLease> _onDispose;
    private int _disposed;

    internal ModelLease(LoadedModel model, LoadedModel? previouslyPinned, Action<ModelLease> onDispose)
    {
        Model = model;
        PreviouslyPinned = previouslyPinned;
        _onDispose = onDispose;
    }

    public LoadedModel Model { get; }

    internal LoadedModel? PreviouslyPinned { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _onDispose(this);
        }
    }
}
