namespace P2P.Inference.Models;

/// <summary>A checkpoint or configuration that cannot be used: the message says which file or tensor and why.</summary>
public sealed class ModelFormatException(string message) : Exception(message);
