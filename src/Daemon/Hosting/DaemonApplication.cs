using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using P2P.Accountability.Metrics;
using P2P.Consensus.Metrics;
using P2P.Daemon.Accountability;
using P2P.Daemon.Api;
using P2P.Daemon.Chain;
using P2P.Daemon.Configuration;
using P2P.Daemon.Dashboard;
using P2P.Daemon.Gateway;
using P2P.Daemon.Gateway.Access;
using P2P.Daemon.Metrics;
using P2P.Daemon.Network;
using P2P.Daemon.Node;
using P2P.Daemon.Pubsub;
using P2P.Daemon.Storage;
using P2P.Inference.Generation;
using P2P.InferenceNetwork.Metrics;
using P2P.Networking.Host;
using P2P.Networking.Metrics;

namespace P2P.Daemon.Hosting;

/// <summary>
/// The composition root of <c>p2pd run</c>. Each area contributes one <c>Add…</c> call for its services
/// (hosted services included) and one <c>Map…</c>/<c>Use…</c> call for its endpoints; nothing else lives here.
/// </summary>
public static class DaemonApplication
{
    public static WebApplication Build(DaemonContext context)
    {
        var settings = context.Settings;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = "p2pd",
            ContentRootPath = settings.DataDirectory.Path,
            Args = [],
        });
        // Only our sources (file, P2PD__ environment, command line): no appsettings.json, no ASPNETCORE_ keys.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(settings.Configuration);
        builder.Logging.AddDaemonLogging(settings.Get<LoggingOptions>(), settings.Environment.Variables);
        builder.WebHost.UseDaemonApi(settings.Get<ApiOptions>());

        builder.Services.AddDaemonCore(context);
        // Not AddSystemd's console format: Logging:Format (auto: systemd's under journald) decides, as without systemd.
        builder.Services.AddSystemdIntegration(settings.Environment.Variables);
        builder.Services.AddDaemonStorage(context.Database);
        builder.Services.AddDaemonApi(context.ApiToken);
        // The agent announces the chain id, so that peers of another chain refuse this node (Chain/ChainPeerGuard).
        builder.Services.AddDaemonNetwork(settings.Get<NetworkOptions>(), context.NodeKey, context.Chain is null ? "" : ChainAgent.Suffix(context.Chain.ChainId));
        builder.Services.AddDaemonPubsub(settings.Get<PubsubOptions>(), settings.Get<DiscoveryOptions>());
        builder.Services.AddDaemonInference(context.Chain);
        builder.Services.AddGatewayAccess(settings.Get<GatewayOptions>(), settings.DataDirectory);
        builder.Services.AddChain(context.Chain, settings.Get<MiningOptions>(), context.NodeKey);
        builder.Services.AddDaemonAccountability(context.Chain, settings.Get<AccountabilityOptions>(), context.NodeKey);
        builder.Services.AddDaemonMetrics(settings.Get<MetricsOptions>(),
            [NetworkingMetrics.MeterName, ConsensusMetrics.MeterName, InferenceMetrics.MeterName, InferenceNetworkMetrics.MeterName, ChainMetrics.MeterName, StorageMetrics.MeterName, AccountabilityMetrics.MeterName], DaemonVersion.Text);

        var app = builder.Build();
        app.UseDaemonApi();
        app.UseGatewayAccess();
        app.MapNodeEndpoints();
        app.MapNetworkEndpoints();
        app.MapPubsubEndpoints();
        app.MapGatewayEndpoints();
        app.MapChainEndpoints();
        app.MapRecentBlocksEndpoints();
        app.MapDashboardEndpoints();
        app.MapAccountabilityEndpoints();
        app.MapMetricsEndpoints(settings.Get<MetricsOptions>());
        return app;
    }

    /// <summary>Settings sections, node identity, clock and shutdown timeout.</summary>
    public static IServiceCollection AddDaemonCore(this IServiceCollection services, DaemonContext context)
    {
        var settings = context.Settings;
        settings.Register(services);
        services.AddSingleton(settings);
        services.AddSingleton(context.NodeKey);
        services.AddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton(new NodeInfo(context.NodeKey.PeerId.ToString(), DaemonVersion.Text, settings.DataDirectory.Path, TimeProvider.System.GetUtcNow()));
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(settings.Get<DaemonHostOptions>().ShutdownTimeoutSeconds));
        services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        services.AddHostedService<StartupLogService>();
        return services;
    }

    /// <summary>
    /// systemd's notify protocol through <c>Microsoft.Extensions.Hosting.Systemd</c> (its lifetime sends READY=1 and
    /// STOPPING=1 and stops the host on SIGTERM), plus status lines and the watchdog, when <c>NOTIFY_SOCKET</c> is set.
    /// The library's own switch, <c>AddSystemd</c>, also requires the parent process to be named systemd: a wrapper
    /// that does not exec (or a test harness) would silently lose the notifications, so the socket decides here.
    /// </summary>
    public static IServiceCollection AddSystemdIntegration(this IServiceCollection services, IReadOnlyDictionary<string, string> environment)
    {
        if (!environment.TryGetValue("NOTIFY_SOCKET", out var socket) || string.IsNullOrEmpty(socket)) return services;
        services.AddSingleton(new SystemdReadiness(new SystemdNotifier()));
        services.AddSingleton<ISystemdNotifier>(provider => provider.GetRequiredService<SystemdReadiness>());
        services.AddSingleton<IHostLifetime, SystemdLifetime>();
        // SystemdLifetime handles SIGTERM only; Ctrl+C on a notify-socket run stops gracefully too.
        services.AddHostedService<InterruptSignalService>();
        var watchdog = SystemdWatchdog.PingInterval(environment, Environment.ProcessId);
        services.AddHostedService(provider => new SystemdStatusService(
            provider.GetRequiredService<SystemdReadiness>(),
            () => NodeStatusLine.Describe(provider.GetRequiredService<Libp2pHost>(), provider.GetService<ChainNode>()),
            watchdog,
            provider.GetRequiredService<IHostApplicationLifetime>(),
            provider.GetRequiredService<TimeProvider>()));
        return services;
    }
}
