using Microsoft.Extensions.Logging;
using P2P.Networking.Core;
using P2P.Networking.Hosting;
using P2P.Networking.Identity;
using P2P.Networking.Multiformats;

namespace P2P.Networking.Host;

/// <summary>Keeps a connection to one bootstrap peer: dials it, waits for the connection to end, re-dials with backoff.</summary>
internal sealed class BootstrapConnector(IP2PHost host, PeerId peer, Multiaddr address, NetworkOptions options, TimeProvider time, ILogger logger)
{
    public async Task RunAsync(CancellationToken token)
    {
        var failures = 0;
        while (!token.IsCancellationRequested)
        {
            try
            {
                var connection = host.GetConnections(peer).FirstOrDefault() ?? await host.DialAsync(address, token).ConfigureAwait(false);
                failures = 0;
                await connection.Completion.WaitAsync(token).ConfigureAwait(false);
                continue;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                failures++;
                logger.LogInformation("bootstrap peer {Address} unreachable (attempt {Attempt}): {Reason}", address, failures, e.Message);
            }
            var delay = TimeSpan.FromTicks((long)Math.Min(options.DialBackoffMax.Ticks, options.DialBackoffBase.Ticks * Math.Pow(2, Math.Min(failures - 1, 30))));
            try
            {
                await Task.Delay(delay, time, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
