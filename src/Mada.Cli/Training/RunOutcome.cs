using Mada.Cli.Metrics;

namespace Mada.Cli.Training;

/// <summary>How a run ended: its record (also in metrics.json), where it is, and whether Ctrl+C stopped it early.</summary>
internal sealed record RunOutcome(RunRecord Record, string Directory, string Checkpoint, bool Interrupted);
