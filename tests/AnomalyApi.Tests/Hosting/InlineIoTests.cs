using AnomalyApi.Hosting;
using AnomalyApi.Http;
using AnomalyApi.Scoring;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AnomalyApi.Tests.Hosting;

/// <summary>
/// Inline I/O: Kestrel follows the runtime's variable, and work that takes milliseconds leaves a socket thread.
/// A socket thread is stood in for by a dedicated thread: like the runtime's socket threads, it is not a pool
/// thread and has no synchronization context. The published service runs with the variable set (the Dockerfile's
/// ENV) in Deployment.Tests, which checks the socket threads it starts.
/// </summary>
public sealed class InlineIoTests
{
    [Theory]
    [InlineData("1", true)]
    [InlineData("0", false)]
    [InlineData("true", false)]   // the runtime compares with "1" exactly, and so does Kestrel's switch
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsOn_OnlyForOne_AsTheRuntimeReadsIt(string? value, bool expected)
    {
        Assert.Equal(expected && !OperatingSystem.IsWindows(), InlineIo.IsOn(value));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Configure_SetsKestrelsInlineScheduling(bool enabled)
    {
        var transport = new SocketTransportOptions { UnsafePreferInlineScheduling = !enabled };

        InlineIo.Configure(transport, enabled);

        Assert.Equal(enabled, transport.UnsafePreferInlineScheduling);
    }

    [Fact]
    public void AddInlineIo_KestrelFollowsThisProcesssVariable()
    {
        using var services = new ServiceCollection().AddInlineIo().BuildServiceProvider();

        var transport = services.GetRequiredService<IOptions<SocketTransportOptions>>().Value;

        Assert.Equal(InlineIo.IsOn(Environment.GetEnvironmentVariable(InlineIo.EnvironmentVariable)), transport.UnsafePreferInlineScheduling);
    }

    [Fact]
    public async Task LeaveSocketThread_FromAnotherThread_ContinuesOnThePool()
    {
        var (startedOnPool, endedOnPool) = await StartOnOwnThread(() => Probe(InlineIo.LeaveSocketThreadAsync));

        Assert.False(startedOnPool);
        Assert.True(endedOnPool);
    }

    [Fact]
    public async Task LeaveSocketThread_OnThePool_ContinuesAtOnce()
    {
        var completedAtOnce = await Task.Run(() => InlineIo.LeaveSocketThreadAsync().IsCompleted);

        Assert.True(completedAtOnce);
    }

    [Fact]
    public async Task ReadBytes_ABatchSizedBody_MovesToThePool()
    {
        var (startedOnPool, endedOnPool) = await StartOnOwnThread(() => Probe(() => ReadBodyAsync(InlineIo.OffloadBodyBytes)));

        Assert.False(startedOnPool);
        Assert.True(endedOnPool);
    }

    [Fact]
    public async Task ReadBytes_ASingleRowSizedBody_StaysWhereItRan()
    {
        // The /predict hot path: its ~800-byte body is parsed, scored and written on the thread that read it.
        var (startedOnPool, endedOnPool) = await StartOnOwnThread(() => Probe(() => ReadBodyAsync(InlineIo.OffloadBodyBytes - 1)));

        Assert.False(startedOnPool);
        Assert.False(endedOnPool);
    }

    private static async ValueTask ReadBodyAsync(int bytes)
    {
        var context = new DefaultHttpContext
        {
            RequestServices = new ServiceCollection().AddSingleton(Options.Create(new ScoringOptions())).BuildServiceProvider(),
        };
        context.Request.Body = new MemoryStream(new byte[bytes]);   // reads complete synchronously, as buffered socket data does
        context.Request.ContentLength = bytes;

        var (body, problem) = await RequestBody.ReadBytesAsync(context);

        Assert.Null(problem);
        using (body)
        {
            Assert.Equal(bytes, body!.WrittenCount);
        }
    }

    private static async Task<(bool StartedOnPool, bool EndedOnPool)> Probe(Func<ValueTask> step)
    {
        var startedOnPool = Thread.CurrentThread.IsThreadPoolThread;
        await step();
        return (startedOnPool, Thread.CurrentThread.IsThreadPoolThread);
    }

    /// <summary>Starts <paramref name="start"/> on a new thread (not a pool thread, no synchronization context).</summary>
    private static Task<T> StartOnOwnThread<T>(Func<Task<T>> start)
    {
        Task<T>? task = null;
        var thread = new Thread(() => task = start());
        thread.Start();
        thread.Join();
        return task!;
    }
}
