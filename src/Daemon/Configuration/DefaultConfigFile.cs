namespace P2P.Daemon.Configuration;

/// <summary>The commented config file <c>p2pd init</c> writes: every key with its default value.</summary>
public static class DefaultConfigFile
{
    public const string Text = """
        // p2pd configuration. JSON with comments. Every key is optional; the values below are the defaults.
        // Precedence: command line (--Section:Key=value) > environment (P2PD__Section__Key) > this file.
        // Unknown keys are an error (exit code 2), so a typo never goes unnoticed.
        {
          "Api": {
            // HTTP API and dashboard. Keep it on loopback unless a reverse proxy with TLS sits in front.
            "Port": 9480,
            "BindAddress": "127.0.0.1",
            // Host names (besides localhost and the bound address) that browsers may use to reach the API,
            // e.g. the name of a reverse proxy; other Host headers are refused (DNS-rebinding protection).
            "AllowedHosts": []
          },
          "Network": {
            // libp2p multiaddrs to listen on (empty list = ["/ip4/0.0.0.0/tcp/4001"]).
            "ListenAddresses": [],
            // Peers to dial at start-up, e.g. "/ip4/203.0.113.7/tcp/4001/p2p/12D3KooW...".
            "BootstrapPeers": [],
            // Connection manager: above the high watermark, trim to the low one (connections younger
            // than the grace period are kept).
            "ConnectionsLowWater": 100,
            "ConnectionsHighWater": 200,
            "ConnectionGracePeriodSeconds": 20,
            // Limits for a TCP dial, the Noise + Yamux handshake and multistream-select on a stream.
            "DialTimeoutSeconds": 10,
            "HandshakeTimeoutSeconds": 10,
            "NegotiationTimeoutSeconds": 10,
            // After a failed dial a peer is not redialled for the base backoff, doubling up to the maximum.
            "DialBackoffBaseSeconds": 5,
            "DialBackoffMaxSeconds": 300,
            // How long learned peer addresses stay in the peer store.
            "AddressTtlSeconds": 3600,
            // Yamux ping on idle connections (0 = off).
            "KeepAliveIntervalSeconds": 30,
            "MaxInboundStreamsPerConnection": 1000,
            // Admission: handshakes in progress per remote address, per /24 (IPv4) or /64 (IPv6) and in
            // total; of the total, slots are reserved for our own dials and for peers in the peer store.
            "MaxPendingHandshakesPerAddress": 8,
            "MaxPendingHandshakesPerSubnet": 32,
            "MaxPendingHandshakes": 256,
            "OutboundHandshakeReserve": 32,
            "KnownPeerHandshakeReserve": 32
          },
          "Storage": {
            // LevelDB directory; relative paths are under the data directory.
            "Path": "db",
            "CacheSizeMb": 64,
            "BloomFilterBitsPerKey": 10,
            "WriteBufferSizeMb": 4,
            "MaxOpenFiles": 500,
            "Compression": true,
            // Verify checksums on every read and refuse to open a database with any corruption.
            "ParanoidChecks": false
          },
          "Mining": {
            "Enabled": false,
            // 0 = one thread per core.
            "Threads": 0,
            // Ed25519 public key (64 hex digits) credited for mined work; empty = the node key.
            "RewardKey": ""
          },
          "Chain": {
            // Genesis JSON file ('p2pd genesis new'); relative to the data directory. Empty and no --devnet: no chain.
            "Genesis": "",
            // The built-in devnet genesis (what 'p2pd run --devnet' sets).
            "Devnet": false
          },
          "Accountability": {
            // Receipts, validation and service declarations (when a chain runs).
            "Enabled": true,
            // Records (inputs and claimed outputs behind signed receipts) kept for validators, and their total size.
            "MaxRecords": 10000,
            "MaxRecordMegabytes": 256,
            // How long a record is kept (beyond the verdict deadline).
            "RecordMinutes": 30,
            // Threads of the validator's deterministic re-runs.
            "ValidatorThreads": 1,
            // How often the head is checked for new assignments and epochs.
            "PollMilliseconds": 500,
            // Receipts this gateway keeps publishing again until a block includes them.
            "RepublishCapacity": 4096,
            // Blocks without the receipt on chain before the first re-publish; the wait then doubles up to RepublishMaxWaitBlocks.
            "RepublishAfterBlocks": 2,
            "RepublishMaxWaitBlocks": 16,
            // TESTS ONLY, devnet only: perturb-logits, smaller-model, skip-layers or lie-invalid.
            "UnsafeTestCheat": ""
          },
          "Inference": {
            // Serve Models to the network; the OpenAI-compatible gateway (/v1) runs either way.
            "Enabled": false,
            // Hugging Face model folders (config.json + model.safetensors); relative to the data directory.
            "ModelsDirectory": "models",
            // Each: { "Model": "<folder or seed:preset=stories15m,seed=1>", "Layers": "all" or "[a,b)" }.
            "Models": [],
            // Deterministic (same bits on every machine) or Fast.
            "Mode": "Deterministic",
            "Threads": 0,
            // Sessions served at once per model; more are refused at once ("busy").
            "MaxConcurrentSessions": 4,
            // Keys and values: Auto (Float16 in Fast mode, Float32 in Deterministic), Float32, or Float16 (Fast only).
            "KvCache": "Auto",
            "KvCacheMegabytes": 256,
            // Adverts on p2pd/nodes/1 are re-published this often and valid for three intervals.
            "AdvertIntervalSeconds": 30,
            // First answer and each later one from an executor; the whole gateway request.
            "ExecutorTimeoutSeconds": 20,
            "RequestTimeoutSeconds": 120,
            // Gateway limits: largest max_tokens and request body (bytes).
            "MaxTokensLimit": 1024,
            "MaxRequestBytes": 262144
          },
          "Gateway": {
            // The OpenAI-compatible /v1/* endpoints. A file of bearer keys (one per line, mode 0600) makes them
            // require "Authorization: Bearer <key>"; empty leaves them open. Relative to the data directory.
            "ApiKeysFile": "",
            // Per client (its key, else its address): requests started per minute, at once after idle, in flight.
            "RateLimitRequestsPerMinute": 600,
            "RateLimitBurst": 100,
            "MaxConcurrentRequestsPerClient": 16
          },
          "Logging": {
            // Trace, Debug, Information, Warning, Error, Critical, None.
            "Level": "Information",
            // Auto (Systemd under journald, else Plain), Plain, Systemd, Json.
            "Format": "Auto",
            // Per-category levels, e.g. "P2P.Networking": "Debug".
            "Categories": {}
          },
          "Host": {
            // Seconds services get to stop after SIGTERM/SIGINT.
            "ShutdownTimeoutSeconds": 10
          },
          "Metrics": {
            // Prometheus metrics at GET /metrics on the API port, without a token (like /healthz).
            "Enabled": true,
            // One rendering of /metrics is reused this long (milliseconds).
            "ScrapeCacheMilliseconds": 300
          },
          "Pubsub": {
            // Gossipsub mesh degree: aim for D peers per topic, graft below DLow, prune above DHigh.
            "D": 6,
            "DLow": 4,
            "DHigh": 12,
            "DLazy": 6,
            "DScore": 4,
            "DOut": 2,
            "HeartbeatIntervalMs": 1000,
            "FloodPublish": true,
            "DoPeerExchange": true,
            // Largest message payload in bytes.
            "MaxMessageSize": 1048576,
            // Peer-score penalty for many peers on one IP; 0 for a swarm on one machine.
            "IPColocationFactorWeight": -5,
            "IPColocationFactorThreshold": 10,
            "GossipThreshold": -10,
            "PublishThreshold": -50,
            "GraylistThreshold": -80,
            // Topics to join and relay at start-up, besides those the node's services join.
            "Topics": []
          },
          "Discovery": {
            // Kademlia DHT (/ipfs/kad/1.0.0) and the loop that dials peers while fewer than TargetPeers are connected.
            "Enabled": true,
            "TargetPeers": 8,
            "DiscoveryIntervalSeconds": 10,
            "RandomWalkIntervalSeconds": 300,
            "K": 20,
            "Alpha": 10,
            "QueryTimeoutSeconds": 10
          }
        }

        """;
}
