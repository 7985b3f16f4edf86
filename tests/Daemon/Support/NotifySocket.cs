using System.Net.Sockets;
using System.Text;

namespace P2P.Daemon.Tests.Support;

/// <summary>A unix datagram socket standing in for systemd's notify socket; collects what the daemon sends.</summary>
public sealed class NotifySocket : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);

    /// <param name="path">A file path, or a name starting with '@' for the abstract namespace.</param>
    public NotifySocket(string path)
    {
        Path = path;
        _socket.Bind(new UnixDomainSocketEndPoint(path[0] == '@' ? "\0" + path[1..] : path));
    }

    public string Path { get; }

    /// <summary>Bytes queued and not yet received (0 when nothing was sent).</summary>
    public int Pending => _socket.Available;

    /// <summary>Receives datagrams until one contains <paramref name="assignment"/> (e.g. <c>READY=1</c>); returns every datagram read.</summary>
    public async Task<List<string>> ReceiveUntilAsync(string assignment, TimeSpan timeout)
    {
        var received = new List<string>();
        var buffer = new byte[4096];
        using var cancellation = new CancellationTokenSource(timeout);
        while (true)
        {
            int length;
            try
            {
                length = await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no {assignment} within {timeout}; received: [{string.Join(" | ", received)}]");
            }
            var datagram = Encoding.UTF8.GetString(buffer, 0, length);
            received.Add(datagram);
            if (datagram.Split('\n').Contains(assignment)) return received;
        }
    }

    public void Dispose() => _socket.Dispose();
}
