using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using P2P.Daemon.Accountability;
using P2P.Daemon.Api;
using P2P.Daemon.Chain;
using P2P.Daemon.Configuration;
using P2P.Daemon.Dashboard;
using P2P.Daemon.Gateway;
using P2P.Daemon.Network;
using P2P.Daemon.Node;
using P2P.Daemon.Pubsub;
using P2P.Daemon.Storage;

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
        builder.Services.AddSystemdIntegration(settings.Environment.Variables);
        builder.Services.AddDaemonStorage(context.Database);
        builder.Services.AddDaemonApi(context.ApiToken);
        // The agent announces the chain id, so that peers of another chain refuse this node (Chain/ChainPeerGuard).
        builder.Services.AddDaemonNetwork(settings.Get<NetworkOptions>(), context.NodeKey, context.Chain is null ? "" : ChainAgent.Suffix(context.Chain.ChainId));
        builder.Services.AddDaemonPubsub(settings.Get<PubsubOptions>(), settings.Get<DiscoveryOptions>());
        builder.Services.AddDaemonInference(context.Chain);
        builder.Services.AddChain(context.Chain, settings.Get<MiningOptions>(), context.NodeKey);
        builder.Services.AddDaemonAccountability(context.Chain, settings.Get<AccountabilityOptions>(), context.NodeKey);

        var app = builder.Build();
        app.UseDaemonApi();
        app.MapNodeEndpoints();
        app.MapNetworkEndpoints();
        app.MapPubsubEndpoints();
        app.MapGatewayEndpoints();
        app.MapChainEndpoints();
        app.MapRecentBlocksEndpoints();
        app.MapDashboardEndpoints();
        app.MapAccountabilityEndpoints();
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
        services.AddSingleton(new NodeInfo(context.NodeKey.PeerId.ToString(), DaemonVersion.Text, settings.DataDirectory.Path, TimeProvider.System.GetUtcNow()));
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(settings.Get<DaemonHostOptions>().ShutdownTimeoutSeconds));
        services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        services.AddHostedService<StartupLogService>();
        return services;
    }

    /// <summary>sd_notify and the watchdog, only when started by systemd with <c>Type=notify</c>.</summary>
    public static IServiceCollection AddSystemdIntegration(this IServiceCollection services, IReadOnlyDictionary<string, string> environment)
    {
        var notifier = SystemdNotifier.FromEnvironment(environment);
        if (notifier is null) return services;
        var watchdog = SystemdWatchdog.PingInterval(environment, Environment.ProcessId);
        services.AddHostedService(provider => new SystemdIntegrationService(
            notifier,
            watchdog,
            provider.GetRequiredService<IHostApplicationLifetime>(),
            provider.GetRequiredService<NodeInfo>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<SystemdIntegrationService>>()));
        return services;
    }
}
