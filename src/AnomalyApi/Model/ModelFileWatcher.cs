using AnomalyApi.Observability;
using Microsoft.Extensions.Options;

namespace AnomalyApi.Model;

/// <summary>
/// Reloads the model when its files change (<c>Model:WatchFiles</c>). Changes are debounced: a reload starts only
/// after <c>Model:ReloadDebounceMilliseconds</c> without a further change, so replacing both files, or a slow copy,
/// costs one reload. A torn file that still slips through fails validation and the old model keeps serving; the
/// write that completes it is another change, and the reload after it succeeds.
/// </summary>
public sealed class ModelFileWatcher(ModelProvider model, IOptions<ModelOptions> options, ILogger<ModelFileWatcher> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.WatchFiles || !model.IsReady)
        {
            return;
        }
        var (onnxPath, configPath) = model.Paths;
        var watched = new HashSet<string>([onnxPath, configPath], StringComparer.Ordinal);
        var changes = new SemaphoreSlim(0);
        var watchers = new List<FileSystemWatcher>();
        try
        {
            foreach (var directory in watched.Select(Path.GetDirectoryName).Distinct(StringComparer.Ordinal))
            {
                if (Watch(directory!, watched, changes) is { } watcher)
                {
                    watchers.Add(watcher);
                }
            }
            if (watchers.Count == 0)
            {
                return;
            }
            while (!stoppingToken.IsCancellationRequested)
            {
                await changes.WaitAsync(stoppingToken);
                // Quiet period: every further change restarts it.
                while (await changes.WaitAsync(settings.ReloadDebounce, stoppingToken))
                {
                    DrainTo(changes);
                }
                await model.ReloadAsync(ModelReloadTriggers.FileChange, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            foreach (var watcher in watchers)
            {
                watcher.Dispose();
            }
        }
    }

    private FileSystemWatcher? Watch(string directory, HashSet<string> watched, SemaphoreSlim changes)
    {
        try
        {
            var watcher = new FileSystemWatcher(directory)
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
                IncludeSubdirectories = false,
            };
            // Written in place, created, deleted, or renamed onto (the atomic way: write a temp file, then move it).
            FileSystemEventHandler changed = (_, e) => Signal(e.FullPath);
            watcher.Changed += changed;
            watcher.Created += changed;
            watcher.Deleted += changed;
            watcher.Renamed += (_, e) => Signal(e.FullPath);
            // Events were lost (the buffer overflowed): reload anyway; unchanged files cost one hash.
            watcher.Error += (_, _) => changes.Release();
            watcher.EnableRaisingEvents = true;
            Log.ModelWatching(logger, directory, options.Value.ReloadDebounceMilliseconds);
            return watcher;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            // Out of inotify instances, say: serving matters more than watching.
            Log.ModelWatchFailed(logger, directory, ex.Message);
            return null;
        }

        void Signal(string path)
        {
            if (watched.Contains(path))
            {
                changes.Release();
            }
        }
    }

    private static void DrainTo(SemaphoreSlim changes)
    {
        while (changes.Wait(0))
        {
        }
    }
}
