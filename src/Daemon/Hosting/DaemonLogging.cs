using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace P2P.Daemon.Hosting;

/// <summary>Console logging: systemd's <c>&lt;level&gt;message</c> format under journald, single-line plain text otherwise.</summary>
public static class DaemonLogging
{
    public static ILoggingBuilder AddDaemonLogging(this ILoggingBuilder logging, LoggingOptions options, IReadOnlyDictionary<string, string> environment)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(options.Level);
        // ASP.NET Core logs every request at Information; keep it quiet unless asked for.
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        // A service that fails to start is reported by 'p2pd run' in one line; the host's own error entry is a stack trace.
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        foreach (var (category, level) in options.Categories) logging.AddFilter(category, level);

        switch (options.EffectiveFormat(environment))
        {
            case LogFormat.Systemd:
                logging.AddSystemdConsole(o => o.UseUtcTimestamp = true);
                break;
            case LogFormat.Json:
                logging.AddJsonConsole(o => o.UseUtcTimestamp = true);
                break;
            default:
                logging.AddSimpleConsole(o =>
                {
                    o.SingleLine = true;
                    o.UseUtcTimestamp = true;
                    o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                    o.ColorBehavior = LoggerColorBehavior.Disabled;
                });
                break;
        }
        return logging;
    }
}
