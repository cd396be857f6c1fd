namespace Mada;

/// <summary>
/// A data-parallel run cannot go on: a peer rank stopped or stayed silent past the timeout, could
/// not be reached, or holds other parameters or coefficients than this rank.
/// </summary>
public sealed class DistributedTrainingException(string message) : MadaException(MadaErrorCode.Distributed, message);
