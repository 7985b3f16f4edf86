namespace P2P.Daemon.Configuration;

/// <summary>One invalid configuration value: its key and what is wrong with it.</summary>
public readonly record struct ConfigurationProblem(string Key, string Problem);
