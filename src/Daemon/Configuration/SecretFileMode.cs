namespace P2P.Daemon.Configuration;

/// <summary>Refuses a secret file (<c>node.key</c>, <c>api.token</c>) that users other than its owner may read or change.</summary>
public static class SecretFileMode
{
    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <exception cref="ConfigurationException">the file grants any permission to group or others.</exception>
    public static void Check(string path, string what)
    {
        if (OperatingSystem.IsWindows()) return;
        var mode = File.GetUnixFileMode(path);
        if ((mode & GroupOrOthers) == 0) return;
        throw new ConfigurationException(path,
            $"{what} is accessible by group or others (mode {Octal(mode)}); run 'chmod 600 {path}' (and check who may have read it)");
    }

    public static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode & 0x1FF, 8).PadLeft(3, '0');
}
