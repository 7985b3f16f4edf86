using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;

namespace P2P.Daemon.Hosting;

/// <summary>Stops the host on SIGINT, which the systemd lifetime (unlike the console lifetime it replaces) leaves to the runtime's default: an abrupt exit.</summary>
public sealed class InterruptSignalService(IHostApplicationLifetime lifetime) : IHostedService, IDisposable
{
    private PosixSignalRegistration? _registration;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registration = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            lifetime.StopApplication();
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _registration?.Dispose();
}
