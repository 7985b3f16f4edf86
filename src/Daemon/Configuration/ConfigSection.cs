using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace P2P.Daemon.Configuration;

/// <summary>A named configuration section bound to an options class, and how to register the bound instance.</summary>
public sealed record ConfigSection(string Name, Type OptionsType, Action<IServiceCollection, object> Register)
{
    /// <summary>Registers the bound <typeparamref name="T"/> both as itself and as <see cref="IOptions{T}"/>.</summary>
    public static ConfigSection For<T>(string name) where T : class, IValidatableOptions, new() =>
        new(name, typeof(T), (services, value) =>
        {
            services.AddSingleton((T)value);
            services.AddSingleton(Options.Create((T)value));
        });
}
