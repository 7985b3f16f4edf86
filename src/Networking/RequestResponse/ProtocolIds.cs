using System.Text.RegularExpressions;

namespace P2P.Networking.RequestResponse;

/// <summary>The naming rule of application protocols: <c>/p2pd/&lt;name&gt;/&lt;version&gt;</c>.</summary>
public static partial class ProtocolIds
{
    /// <exception cref="ArgumentException">the id does not follow the rule.</exception>
    public static string Validate(string protocolId)
    {
        if (!Pattern().IsMatch(protocolId))
        {
            throw new ArgumentException($"protocol id '{protocolId}' is not /p2pd/<name>/<version>", nameof(protocolId));
        }
        return protocolId;
    }

    [GeneratedRegex(@"^/p2pd/[a-z0-9][a-z0-9-]*/[0-9A-Za-z.\-]+$")]
    private static partial Regex Pattern();
}
