using Microsoft.AspNetCore.Http;
using P2P.Daemon.Api;

namespace P2P.Daemon.Tests.Api;

public class BearerTokenTests
{
    [Theory]
    [InlineData("POST", "/api/v1/shutdown", true)]
    [InlineData("DELETE", "/api/v1/anything", true)]
    [InlineData("PUT", "/API/v1/x", true)]
    [InlineData("GET", "/api/v1/status", false)]
    [InlineData("HEAD", "/api/v1/status", false)]
    [InlineData("OPTIONS", "/api/v1/status", false)]
    [InlineData("POST", "/healthz", false)]
    [InlineData("POST", "/apiary", false)]
    public void OnlyStateChangingApiCalls_RequireTheToken(string method, string path, bool required)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        Assert.Equal(required, BearerTokenMiddleware.RequiresToken(context.Request));
    }

    [Fact]
    public void Token_MatchesOnlyItself()
    {
        var token = ApiToken.Generate();
        Assert.True(token.Matches(token.Value));
        Assert.False(token.Matches(token.Value + "x"));
        Assert.False(token.Matches(token.Value.AsSpan(0, token.Value.Length - 1)));
        Assert.False(token.Matches(""));
        Assert.NotEqual(token.Value, ApiToken.Generate().Value);
        Assert.DoesNotContain('=', token.Value);
    }
}
