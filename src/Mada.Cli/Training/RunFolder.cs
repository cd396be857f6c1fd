using Mada.Cli.Commands;

namespace Mada.Cli.Training;

/// <summary>What a run folder holds, and where new ones go.</summary>
internal static class RunFolder
{
    /// <summary>The trainer checkpoint, rewritten (atomically) at every save.</summary>
    public const string CheckpointName = "checkpoint.pt";

    /// <summary>Where runs go unless --out says otherwise, relative to the working directory.</summary>
    public const string RunsDirectory = "runs";

    /// <summary>runs/&lt;timestamp&gt;-&lt;model&gt;-&lt;label&gt;, e.g. runs/20250101-120000-cnn-mada.</summary>
    public static string NewDefault(ModelKind model, string label) =>
        Path.Combine(RunsDirectory, $"{DateTime.Now:yyyyMMdd-HHmmss}-{Choices.Model.NameOf(model)}-{label}");
}
