namespace P2P.Networking.Identity;

/// <summary>Writes files only the owner may read (mode 0600), atomically, never widening permissions on the way.</summary>
public static class SecretFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <exception cref="IOException">the file exists and <paramref name="overwrite"/> is false.</exception>
    public static void Write(string path, ReadOnlySpan<byte> content, bool overwrite)
    {
        if (!overwrite && File.Exists(path)) throw new IOException($"{path} already exists");
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnly;
        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temporary, OwnerOnly);
            if (overwrite) File.Move(temporary, path, overwrite: true);
            else File.Move(temporary, path, overwrite: false);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
