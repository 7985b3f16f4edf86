return await P2P.Daemon.Cli.CliRoot.RunAsync(args);
