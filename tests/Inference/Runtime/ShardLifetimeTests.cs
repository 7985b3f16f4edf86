using P2P.Inference.Kernels;
using P2P.Inference.Models;
using P2P.Inference.Runtime;
using P2P.Inference.Tests.Support;
using P2P.Testing;

namespace P2P.Inference.Tests.Runtime;

/// <summary>A node stopping (or unloading a model) mid-pass: the shard's weights outlive the running pass, and new calls are refused.</summary>
public class ShardLifetimeTests
{
    [Fact]
    public async Task DisposingAShardMidPass_WaitsForThePass_WhichKeepsItsBits_AndRefusesNewCalls()
    {
        int[] tokens = [3, 1, 4, 1, 5];
        using var plain = new TransformerShard(ModelLoader.Load(DeterminismTests.SeededSixLayers), new CpuBackend(ComputeMode.Deterministic, 1));
        using var reference = plain.CreateSession();
        var expected = plain.Embed(tokens);
        plain.Forward([reference], [tokens.Length], expected);

        var gate = new GatedBackend(new CpuBackend(ComputeMode.Deterministic, 1));
        var shard = new TransformerShard(ModelLoader.Load(DeterminismTests.SeededSixLayers), gate);
        var session = shard.CreateSession();
        var hidden = shard.Embed(tokens);
        var pass = Task.Run(() => shard.Forward([session], [tokens.Length], hidden));
        await gate.Entered.WaitAsync(TimeSpan.FromSeconds(30));

        var disposing = Task.Run(shard.Dispose);
        Assert.True(await Wait.UntilAsync(() => shard.IsDisposed, TimeSpan.FromSeconds(30)), "disposal never began");
        Assert.False(disposing.IsCompleted, "the weights were freed under a running pass");
        Assert.Throws<ObjectDisposedException>(() => shard.Embed([1]));
        Assert.Throws<ObjectDisposedException>(() => shard.Forward([shard.CreateSession()], [1], new float[shard.Config.HiddenSize]));

        gate.Open();
        await pass.WaitAsync(TimeSpan.FromSeconds(30));
        await disposing.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(Hashing.Of(expected), Hashing.Of(hidden));
        session.Dispose();
        shard.Dispose();
    }
}
