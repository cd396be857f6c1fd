namespace Mada.Cli.Training;

/// <summary>Where a run computes.</summary>
internal enum Device
{
    Cpu,

    /// <summary>Accepted on the command line so that asking for it gets a clear answer; the library has only the CPU step.</summary>
    Cuda,
}
