namespace AnomalyApi.Tests;

/// <summary>
/// A class fixture: the service on Kestrel on a loopback port, for tests of what TestServer does differently
/// (its response writer accepted a protobuf write that Kestrel's refused).
/// </summary>
public sealed class KestrelServer : IAsyncLifetime
{
    public AnomalyApiFactory Factory { get; } = new();

    public HttpClient Client { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Factory.UseKestrel(0);
        Factory.StartServer();
        Client = Factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
    }
}
