using Microsoft.Extensions.Configuration;

namespace P2P.Daemon.Configuration;

/// <summary>The validated configuration of one daemon process: its data directory and every bound options section.</summary>
public sealed class DaemonSettings
{
    private readonly IReadOnlyDictionary<Type, object> _sections;
    private readonly IReadOnlyList<ConfigSection> _schema;

    private DaemonSettings(DataDirectory dataDirectory, IConfigurationRoot configuration, IReadOnlyList<ConfigSection> schema, IReadOnlyDictionary<Type, object> sections, ProcessEnvironment environment)
    {
        DataDirectory = dataDirectory;
        _schema = schema;
        Configuration = configuration;
        _sections = sections;
        Environment = environment;
    }

    public DataDirectory DataDirectory { get; }
    public IConfigurationRoot Configuration { get; }
    public ProcessEnvironment Environment { get; }

    public T Get<T>() where T : class => (T)_sections[typeof(T)];

    /// <summary>Loads, checks and binds the configuration; throws <see cref="ConfigurationException"/> at the first bad key or path.</summary>
    /// <param name="dataDirectory"><c>--data-dir</c>, or null for the default.</param>
    /// <param name="configFile"><c>--config</c>, or null for <c>&lt;data-dir&gt;/p2pd.json</c> (optional when absent).</param>
    /// <param name="commandLine">Remaining <c>--Section:Key=value</c> arguments.</param>
    /// <param name="schema">The sections the daemon accepts (<c>Hosting.ConfigSections.All</c>); any other key is an error.</param>
    public static DaemonSettings Load(string? dataDirectory, string? configFile, IReadOnlyList<string> commandLine, ProcessEnvironment environment, IReadOnlyList<ConfigSection> schema)
    {
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
        return new DaemonSettings(directory, configuration, schema, bound, environment);
    }

    /// <summary>Registers every bound section in <paramref name="services"/>.</summary>
    public void Register(Microsoft.Extensions.DependencyInjection.IServiceCollection services)
    {
        foreach (var section in _schema) section.Register(services, _sections[section.OptionsType]);
    }
}
