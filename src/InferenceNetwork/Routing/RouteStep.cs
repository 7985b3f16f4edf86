namespace P2P.InferenceNetwork.Routing;

/// <summary>One hop of a route as it was used: the peer and its span.</summary>
public sealed record RouteStep(string PeerId, int Start, int End);
