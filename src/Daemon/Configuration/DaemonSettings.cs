using Microsoft.Extensions.Configuration;

namespace P2P.Daemon.Configuration;

/// <summary>The validated configuration of one daemon process: its data directory and every bound options section.</summary>
public sealed class DaemonSettings
{
    private readonly IReadOnlyDictionary<Type, object> sections;

    private DaemonSettings(DataDirectory dataDirectory, IConfigurationRoot configuration, IReadOnlyDictionary<Type, object> sections, ProcessEnvironment environment)
    {
        DataDirectory = dataDirectory;
        Configuration = configuration;
        this.sections = sections;
        Environment = environment;
    }

    public DataDirectory DataDirectory { get; }
    public IConfigurationRoot Configuration { get; }
    public ProcessEnvironment Environment { get; }

    public T Get<T>() where T : class => (T)sections[typeof(T)];

    /// <summary>Loads, checks and binds the configuration; throws <see cref="ConfigurationException"/> at the first bad key or path.</summary>
    /// <param name="dataDirectory"><c>--data-dir</c>, or null for the default.</param>
    /// <param name="configFile"><c>--config</c>, or null for <c>&lt;data-dir&gt;/p2pd.json</c> (optional when absent).</param>
    /// <param name="commandLine">Remaining <c>--Section:Key=value</c> arguments.</param>
    public static DaemonSettings Load(string? dataDirectory, string? configFile, IReadOnlyList<string> commandLine, ProcessEnvironment environment, IReadOnlyList<ConfigSection>? schema = null)
    {
        schema ??= ConfigSections.All;
        var directory = DataDirectory.Resolve(dataDirectory, environment.Variables, environment.IsRoot, environment.HomeDirectory);
        var file = configFile is null ? directory.ConfigFile : Path.GetFullPath(configFile);
        var configuration = ConfigurationLoader.Load(file, configFileRequired: configFile is not null, environment.Variables, commandLine);
        ConfigurationSchema.Check(configuration, schema);

        var bound = new Dictionary<Type, object>();
        foreach (var section in schema)
        {
            var value = configuration.GetSection(section.Name).Get(section.OptionsType, o => o.ErrorOnUnknownConfiguration = true)
                ?? Activator.CreateInstance(section.OptionsType)!;
            foreach (var problem in ((IValidatableOptions)value).Validate(directory))
                throw new ConfigurationException($"{section.Name}:{problem.Key}", problem.Problem);
            bound[section.OptionsType] = value;
        }
        return new DaemonSettings(directory, configuration, bound, environment);
    }

    /// <summary>Registers every bound section in <paramref name="services"/>.</summary>
    public void Register(Microsoft.Extensions.DependencyInjection.IServiceCollection services, IReadOnlyList<ConfigSection>? schema = null)
    {
        foreach (var section in schema ?? ConfigSections.All) section.Register(services, sections[section.OptionsType]);
    }
}
