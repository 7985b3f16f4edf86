using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Inference;

/// <summary>A gateway that starts after the servers learns their models from the early publish a join triggers, not after a whole advert interval.</summary>
public sealed class AdvertJoinTests
{
    [Stories260kFact]
    public async Task AGatewayThatJoinsLate_LearnsTheServersAdvertWithinSecondsOfAnIntervalOf200s()
    {
        await using var nodes = new InferenceNodes();
        // The later setting wins: both nodes publish on their own only every 200 s (adverts live 600 s).
        await nodes.StartAsync("server", [.. InferenceNodes.Serving(), "--Inference:AdvertIntervalSeconds=200"]);
        var gateway = await nodes.StartAsync("gateway", "--Inference:AdvertIntervalSeconds=200");
        // WaitForAdvertsAsync's bound (40 s) is a fifth of the interval: only the join-triggered publish can meet it.
        await InferenceNodes.WaitForAdvertsAsync(gateway, 1);
    }
}
