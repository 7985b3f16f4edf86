using Microsoft.Extensions.DependencyInjection;
using P2P.InferenceNetwork.Adverts;
using P2P.InferenceNetwork.Routing;

namespace P2P.Daemon.Gateway;

/// <summary>Registers the inference network: directory, runtime, health-only executor weights and the hosted service.</summary>
public static class DaemonInferenceExtensions
{
    public static IServiceCollection AddDaemonInference(this IServiceCollection services)
    {
        services.AddSingleton(provider => new InferenceDirectory(provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton(provider => new InferenceRuntime { Directory = provider.GetRequiredService<InferenceDirectory>() });
        // Epoch weights from consensus replace this once the daemon runs the chain.
        services.AddSingleton<IExecutorWeights, HealthOnlyWeights>();
        services.AddHostedService<InferenceHostService>();
        return services;
    }
}
