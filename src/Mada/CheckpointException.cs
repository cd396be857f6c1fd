namespace Mada;

/// <summary>
/// A checkpoint is corrupt, or belongs to another model or mode. Nothing was loaded: the optimizer
/// is as before the call.
/// </summary>
public sealed class CheckpointException(string message) : MadaException(MadaErrorCode.Checkpoint, message);
