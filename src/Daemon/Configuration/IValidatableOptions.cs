namespace P2P.Daemon.Configuration;

/// <summary>An options section that checks its own values after binding.</summary>
public interface IValidatableOptions
{
    /// <summary>Problems with keys relative to the section (e.g. <c>Port</c>).</summary>
    IEnumerable<ConfigurationProblem> Validate(DataDirectory dataDirectory);
}
