using Mada.Cli.Commands;

namespace Mada.Cli.Training;

/// <summary>What a run folder holds, where new ones go, and making one.</summary>
internal static class RunFolder
{
    /// <summary>The trainer checkpoint, rewritten (atomically) at every save.</summary>
    public const string CheckpointName = "checkpoint.pt";

    /// <summary>Where runs go unless --out says otherwise, relative to the working directory.</summary>
    public const string RunsDirectory = "runs";

    /// <summary>runs/&lt;timestamp&gt;-&lt;model&gt;-&lt;label&gt;, e.g. runs/20250101-120000-cnn-mada.</summary>
    public static string NewDefault(ModelKind model, string label) =>
        Path.Combine(RunsDirectory, $"{DateTime.Now:yyyyMMdd-HHmmss}-{Choices.Model.NameOf(model)}-{label}");

    /// <summary>Makes <paramref name="directory"/> (and its parents) if need be, and checks that files can be written into it.</summary>
    /// <exception cref="CliException">It cannot be made or written into; the message names it and gives the system's reason.</exception>
    public static void Create(string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot create the output folder {directory}: {FolderCreation.WhyNot(directory) ?? e.Message}");
        }
        // A file that is gone again once closed: the folder takes files (it may be read-only, or no folder of files at all, like /proc).
        string probe = Path.Combine(directory, $".write-test-{Environment.ProcessId}");
        try
        {
            using var file = File.Create(probe, 1, FileOptions.DeleteOnClose);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot write into the output folder {directory}: {FolderCreation.WhyNot(probe) ?? e.Message}");
        }
    }
}
