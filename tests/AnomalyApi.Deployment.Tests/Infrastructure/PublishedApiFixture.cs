namespace AnomalyApi.Deployment.Tests.Infrastructure;

/// <summary>
/// The Dockerfile's build stage run once per test run (restore and publish, as written), shared by every test
/// that needs the service; plus two running instances for the tests that proxy or scrape them.
/// </summary>
public sealed class PublishedApiFixture : IAsyncLifetime
{
    private readonly DirectoryInfo _workDirectory = Directory.CreateTempSubdirectory("anomaly-docker-build-");
    private readonly SemaphoreSlim _pairLock = new(1, 1);
    private (ApiInstance First, ApiInstance Second)? _pair;
    private DockerImage? _image;

    internal DockerImage Image => _image ?? throw new InvalidOperationException("The build has not run");

    public async Task InitializeAsync() =>
        _image = await DockerBuild.BuildAsync(Repository.Path("Dockerfile"), Repository.Root, _workDirectory.FullName, "runtime");

    /// <summary>A fresh instance of the published service (started from /app unless told otherwise); the caller disposes it.</summary>
    internal Task<ApiInstance> StartInstanceAsync(IReadOnlyDictionary<string, string>? settings = null, string? workingDirectory = null) =>
        ApiInstance.StartAsync(Image, settings, workingDirectory);

    /// <summary>Two instances shared by the collection (the two replicas nginx balances across).</summary>
    internal async Task<(ApiInstance First, ApiInstance Second)> GetPairAsync()
    {
        await _pairLock.WaitAsync();
        try
        {
            if (_pair is null)
            {
                var starting = await Task.WhenAll(StartInstanceAsync(), StartInstanceAsync());
                _pair = (starting[0], starting[1]);
            }
            return _pair.Value;
        }
        finally
        {
            _pairLock.Release();
        }
    }

    public Task DisposeAsync()
    {
        _pair?.First.Dispose();
        _pair?.Second.Dispose();
        _pairLock.Dispose();
        try
        {
            _workDirectory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is the temp folder's problem, not the test's.
        }
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class PublishedApiCollection : ICollectionFixture<PublishedApiFixture>
{
    public const string Name = "Published API";
}
