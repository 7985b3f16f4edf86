namespace P2P.Daemon.Tests.Devnet;

/// <summary>A 2-node devnet (node 0 a gateway, node 1 serving the model) shared by the tests that only look at a running devnet.</summary>
public sealed class TwoNodeDevnet : IAsyncLifetime
{
    private DevnetRun? _run;

    public DevnetRun Run => _run ?? throw new InvalidOperationException("the devnet is not up");

    public async Task InitializeAsync() => _run = await DevnetRun.UpAsync(2);

    public async Task DisposeAsync()
    {
        if (_run is not null) await _run.DisposeAsync();
    }
}
