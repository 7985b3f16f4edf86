using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using P2P.Consensus.Genesis;
using P2P.Testing;

namespace P2P.Interop.Tests.Pubsub;

/// <summary>Issue 13 acceptance 4: a js-libp2p gossipsub node subscribed to <c>p2pd/blocks/1</c> receives every block a mining <c>p2pd</c> produces, byte for byte.</summary>
public sealed class ChainBlocksInteropTests : IDisposable
{
    private const string BlocksTopic = "p2pd/blocks/1";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("p2p-chain-interop-").FullName;

    [JsChainInteropFact]
    public async Task JsGossipsubNode_SubscribedToBlocks_ReceivesEveryMinedBlockByteForByte()
    {
        // Short blocks at an easy start, so that a handful are mined within seconds on one thread.
        var genesis = GenesisConfig.Devnet(DateTimeOffset.UtcNow.ToUnixTimeSeconds(), "p2p-interop") with
        {
            EpochLength = 4,
            TargetBlockSeconds = 1,
            InitialBits = 0x1f080000,
            AsertHalfLifeSeconds = 20,
            ShareShift = 2,
            ShareWindow = 4,
        };
        var genesisFile = Path.Combine(_directory, "genesis.json");
        File.WriteAllText(genesisFile, genesis.ToJson());
        int apiPort = FreePort.Next();
        var daemon = StartDaemon(["run", "--init", "--data-dir", Path.Combine(_directory, "node"), $"--Api:Port={apiPort}",
            "--Network:ListenAddresses:0=/ip4/127.0.0.1/tcp/0", $"--Chain:Genesis={genesisFile}",
            "--Mining:Enabled=true", "--Mining:Threads=1", "--Pubsub:HeartbeatIntervalMs=200"]);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}/"), Timeout = TimeSpan.FromSeconds(5) };
            Assert.True(await Wait.UntilAsync(async () => await TryGetAsync(http, "api/v1/network") is not null, Limit), "p2pd did not start");
            var network = (await TryGetAsync(http, "api/v1/network"))!.Value;
            var address = network.GetProperty("listenAddresses")[0].GetString()!;
            var daemonPeer = network.GetProperty("peerId").GetString()!;

            await using var js = await JsPubsubPeer.StartAsync(new { heartbeatMs = 200 });
            await js.SubscribeAsync(BlocksTopic);
            await js.DialAsync(address);
            Assert.True(await Wait.UntilAsync(async () => (await js.MeshAsync(BlocksTopic)).Contains(daemonPeer), Limit), "p2pd never joined the js node's blocks mesh");

            // Every block above the head at the moment the mesh formed must arrive.
            ulong from = await HeightAsync(http) + 1;
            ulong to = from + 5;
            Assert.True(await Wait.UntilAsync(async () => await HeightAsync(http) >= to, Limit), "p2pd did not mine 6 more blocks");
            for (ulong height = from; height <= to; height++)
            {
                var block = (await TryGetAsync(http, $"api/v1/blocks/{height}"))!.Value;
                var encoded = Convert.FromHexString(block.GetProperty("encoded").GetString()!);
                bool received = await Wait.UntilAsync(() => Task.FromResult(js.Messages.Any(m => m.Topic == BlocksTopic && m.Data.AsSpan().SequenceEqual(encoded))), TimeSpan.FromSeconds(10));
                Assert.True(received, $"block {height} ({encoded.Length} bytes) never reached the js node byte for byte; it got {js.Messages.Count(m => m.Topic == BlocksTopic)} block message(s)");
            }
        }
        finally
        {
            if (!daemon.HasExited) daemon.Kill(entireProcessTree: true);
            await daemon.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            daemon.Dispose();
        }
    }

    private static System.Diagnostics.Process StartDaemon(IEnumerable<string> arguments)
    {
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(RepositoryPaths.DaemonDll!);
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("P2PD", StringComparison.Ordinal)).ToList()) info.Environment.Remove(key);
        var process = System.Diagnostics.Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<ulong> HeightAsync(HttpClient http) => (await TryGetAsync(http, "api/v1/chain"))?.GetProperty("height").GetUInt64() ?? 0;

    private static async Task<JsonElement?> TryGetAsync(HttpClient http, string path)
    {
        try { return await http.GetFromJsonAsync<JsonElement>(path); }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException) { return null; }
    }

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
