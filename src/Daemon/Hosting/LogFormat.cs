namespace P2P.Daemon.Hosting;

/// <summary>Console log format; <see cref="Auto"/> picks <see cref="Systemd"/> when <c>JOURNAL_STREAM</c> is set.</summary>
public enum LogFormat
{
    Auto,
    Plain,
    Systemd,
    Json,
}
