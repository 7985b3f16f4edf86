// The daemon targets Linux (systemd, unix sockets, file modes); so do its tests.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace P2P.Daemon.Tests;
