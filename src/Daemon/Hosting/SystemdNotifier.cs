using System.Net.Sockets;
using System.Text;

namespace P2P.Daemon.Hosting;

/// <summary>
/// <c>sd_notify</c> without libsystemd: each state change is one datagram to the unix socket named by
/// <c>$NOTIFY_SOCKET</c> (a leading <c>@</c> means the Linux abstract namespace).
/// </summary>
public sealed class SystemdNotifier : IDisposable
{
    private readonly Socket _socket;
    private readonly UnixDomainSocketEndPoint _endpoint;
    private readonly Lock _gate = new();

    public SystemdNotifier(string socketPath)
    {
        if (string.IsNullOrEmpty(socketPath)) throw new ArgumentException("empty NOTIFY_SOCKET", nameof(socketPath));
        SocketPath = socketPath;
        _endpoint = new UnixDomainSocketEndPoint(socketPath[0] == '@' ? "\0" + socketPath[1..] : socketPath);
        // Non-blocking: a full notify queue must cost a dropped status line, never a stalled thread.
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified) { Blocking = false };
    }

    public string SocketPath { get; }

    /// <summary>A notifier when the process runs under systemd with <c>Type=notify</c>, else null.</summary>
    public static SystemdNotifier? FromEnvironment(IReadOnlyDictionary<string, string> environment) =>
        environment.TryGetValue("NOTIFY_SOCKET", out var path) && !string.IsNullOrEmpty(path) ? new SystemdNotifier(path) : null;

    /// <summary>Sends newline-separated assignments such as <c>READY=1\nSTATUS=…</c>; returns false when the socket is gone.</summary>
    public bool Notify(string state)
    {
        var datagram = Encoding.UTF8.GetBytes(state);
        lock (_gate)
        {
            try
            {
                return _socket.SendTo(datagram, SocketFlags.None, _endpoint) == datagram.Length;
            }
            catch (Exception error) when (error is SocketException or ObjectDisposedException)
            {
                return false;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate) _socket.Dispose();
    }
}
