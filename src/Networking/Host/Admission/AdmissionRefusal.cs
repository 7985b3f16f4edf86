namespace P2P.Networking.Host.Admission;

/// <summary>Why a connection was not admitted to the handshake; <see cref="None"/> when it was.</summary>
public enum AdmissionRefusal
{
    None,
    /// <summary>Too many handshakes from the same IP address.</summary>
    AddressLimit,
    /// <summary>Too many handshakes from the same /24 or /64.</summary>
    SubnetLimit,
    /// <summary>Every slot open to this kind of connection is taken.</summary>
    GlobalLimit,
}
