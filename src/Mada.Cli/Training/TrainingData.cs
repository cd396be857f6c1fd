using Mada.Cli.Corpus;

namespace Mada.Cli.Training;

/// <summary>Opens the data a model trains on, with messages that say what was expected where.</summary>
internal static class TrainingData
{
    /// <summary>The dataset for <paramref name="settings"/>: its --data, or the model's default data.</summary>
    /// <exception cref="CliException">--data is missing or of the wrong kind.</exception>
    public static Dataset Open(RunSettings settings)
    {
        string? path = settings.Data;
        if (settings.Model == ModelKind.Gpt)
        {
            path ??= KingJamesBible.Default.EnsureCached();
            if (!File.Exists(path))
            {
                throw new CliException(Directory.Exists(path)
                    ? $"--data {path} is a folder, but a GPT trains on a UTF-8 text file."
                    : $"--data {path}: no such file.");
            }
            return Dataset.Text(path, settings.Context);
        }

        if (path is not null && !Directory.Exists(path))
        {
            throw new CliException(File.Exists(path)
                ? $"--data {path} is a file, but an MLP or CNN trains on a Fashion-MNIST folder of IDX files."
                : $"--data {path}: no such folder.");
        }
        return Dataset.FashionMnist(path);
    }

    /// <summary>What <see cref="Open"/> reads, for run records and messages.</summary>
    public static string Describe(RunSettings settings) =>
        settings.Data is { } path ? Path.GetFullPath(path)
        : settings.Model == ModelKind.Gpt ? KingJamesBible.Default.CachePath
        : Dataset.DefaultFashionMnistDirectory;
}
