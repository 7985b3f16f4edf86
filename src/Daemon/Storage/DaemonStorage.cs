using Microsoft.Extensions.DependencyInjection;
using P2P.Daemon.Configuration;
using P2P.Storage;

namespace P2P.Daemon.Storage;

/// <summary>Opens the node's LevelDB database from the <c>Storage</c> section and registers it for the other services.</summary>
public static class DaemonStorage
{
    /// <exception cref="ConfigurationException">the database directory cannot be created.</exception>
    /// <exception cref="DataDirectoryInUseException">another p2pd process uses this data directory.</exception>
    public static LevelDatabase Open(DaemonSettings settings)
    {
        var options = settings.Get<StorageOptions>();
        var path = options.ResolvePath(settings.DataDirectory);
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException("Storage:Path", $"cannot create database directory {path}: {error.Message}", error);
        }
        try
        {
            return LevelDatabase.Open(path, options.ToLevelDbOptions());
        }
        catch (DataDirectoryInUseException error)
        {
            throw new DataDirectoryInUseException(settings.DataDirectory.Path, error);
        }
        catch (LevelDbException error) when (!error.Message.Contains(path, StringComparison.Ordinal))
        {
            // LevelDB names the file at fault only sometimes; the operator needs the database either way.
            throw new LevelDbException(error.Kind, $"database {path}: {error.Message}", error);
        }
    }

    /// <summary>Registers the open database and a <see cref="RecordStore"/> over it; the caller owns and disposes the database.</summary>
    public static IServiceCollection AddDaemonStorage(this IServiceCollection services, LevelDatabase database)
    {
        services.AddSingleton(database);
        services.AddSingleton(new RecordStore(database));
        services.AddHostedService<StorageMetrics>();
        return services;
    }
}
