using Microsoft.Extensions.Hosting.Systemd;

namespace P2P.Daemon.Hosting;

/// <summary>
/// The library's <see cref="ISystemdNotifier"/> with two additions: <see cref="Ready"/> completes once <c>READY=1</c> has
/// gone out (the library's <c>SystemdLifetime</c> sends it; status lines must follow it, and lifetime callbacks run in
/// reverse order of registration, so they cannot be ordered by registering), and a vanished socket costs a dropped line,
/// never an exception in a lifetime callback.
/// </summary>
public sealed class SystemdReadiness(ISystemdNotifier inner) : ISystemdNotifier
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsEnabled => inner.IsEnabled;

    /// <summary>Completes after <c>READY=1</c> was sent.</summary>
    public Task Ready => _ready.Task;

    public void Notify(ServiceState state)
    {
        try
        {
            inner.Notify(state);
        }
        catch (Exception error) when (error is System.Net.Sockets.SocketException or ObjectDisposedException or IOException)
        {
            // systemd went away (or a test closed its socket): nothing to tell, and nothing to crash for.
        }
        if (state.ToString().Split('\n').Contains("READY=1")) _ready.TrySetResult();
    }
}
