using System.Reflection;
using System.Runtime.InteropServices;

namespace P2P.Storage.Native;

/// <summary>Finds the system LevelDB shared library (Debian's <c>libleveldb.so.1d</c> first) for the P/Invoke layer.</summary>
internal static class LevelDbLibrary
{
    /// <summary>Library file names tried in order; Debian ships only the versioned <c>.so.1d</c> without the dev package.</summary>
    internal static readonly string[] CandidateNames =
        ["libleveldb.so.1d", "libleveldb.so.1", "libleveldb.so", "libleveldb.dylib", "leveldb.dll"];

    internal const string InstallHint = "apt-get install libleveldb1d";

    /// <summary>Names a specific LevelDB shared library to load instead of the system one.</summary>
    internal const string OverrideVariable = "P2PD_LEVELDB_LIBRARY";

    private static readonly Lock Gate = new();
    private static bool _registered;
    private static nint _loadedHandle;

    /// <summary>Installs the resolver for <see cref="LevelDbNative.Library"/> in this assembly once.</summary>
    /// <remarks>.NET allows one resolver per assembly: other native libraries of P2P.Consensus must be added here, not with their own.</remarks>
    internal static void RegisterResolver()
    {
        lock (Gate)
        {
            if (_registered) return;
            NativeLibrary.SetDllImportResolver(typeof(LevelDbLibrary).Assembly, Resolve);
            _registered = true;
        }
    }

    /// <summary>Loads the library now; false (with the first name tried) when no candidate loads.</summary>
    internal static bool TryEnsureLoaded(out string triedName)
    {
        lock (Gate)
        {
            var custom = Environment.GetEnvironmentVariable(OverrideVariable);
            string[] names = string.IsNullOrWhiteSpace(custom) ? CandidateNames : [custom];
            triedName = names[0];
            if (_loadedHandle == 0) _loadedHandle = TryLoad(names) ?? 0;
            return _loadedHandle != 0;
        }
    }

    internal static nint? TryLoad(IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            if (NativeLibrary.TryLoad(name, out var handle)) return handle;
        }
        return null;
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != LevelDbNative.Library) return 0;
        TryEnsureLoaded(out _);
        return _loadedHandle;
    }
}
