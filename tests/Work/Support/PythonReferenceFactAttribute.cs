using System.Diagnostics;
using P2P.Testing;

namespace P2P.Work.Tests.Support;

/// <summary>A fact skipped, with its reason shown, unless a python3 with numpy and cryptography can run reference/work1.py.</summary>
public sealed class PythonReferenceFactAttribute : FactAttribute
{
    public static string? Interpreter { get; } = FindInterpreter();

    public PythonReferenceFactAttribute()
    {
        if (RepositoryPaths.PythonReference is null)
            Skip = "tests/Work/reference/work1.py not found";
        else if (Interpreter is null)
            Skip = "no python3 with numpy and cryptography (Debian: python3-numpy python3-cryptography)";
    }

    private static string? FindInterpreter()
    {
        foreach (var candidate in new[] { "/usr/bin/python3", "python3" })
        {
            try
            {
                using var process = Process.Start(new ProcessStartInfo(candidate, ["-c", "import numpy, cryptography"])
                {
                    RedirectStandardError = true,
                    RedirectStandardOutput = true,
                });
                if (process is null) continue;
                if (process.WaitForExit(30_000) && process.ExitCode == 0) return candidate;
            }
            catch (System.ComponentModel.Win32Exception)
            {
            }
        }
        return null;
    }
}
