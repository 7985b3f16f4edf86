using Microsoft.Extensions.DependencyInjection;
using P2P.Consensus.State;
using P2P.InferenceNetwork.Adverts;
using P2P.InferenceNetwork.Routing;

namespace P2P.Daemon.Gateway;

/// <summary>Registers the inference network: directory, runtime, executor weights (from the chain when the node runs one) and the hosted service.</summary>
public static class DaemonInferenceExtensions
{
    public static IServiceCollection AddDaemonInference(this IServiceCollection services, ChainState? chain)
    {
        services.AddSingleton(provider => new InferenceDirectory(provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton(provider => new InferenceRuntime { Directory = provider.GetRequiredService<InferenceDirectory>() });
        // A node without a chain knows no epoch weights: it routes by health alone.
        if (chain is null) services.AddSingleton<IExecutorWeights, HealthOnlyWeights>();
        else
        {
            services.AddSingleton(new ChainExecutorWeights(chain));
            services.AddSingleton<IExecutorWeights>(provider => provider.GetRequiredService<ChainExecutorWeights>());
        }
        services.AddHostedService<InferenceHostService>();
        return services;
    }
}
