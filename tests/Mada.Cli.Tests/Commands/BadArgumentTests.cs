using System.Globalization;
using System.Text.RegularExpressions;
using Mada.Cli.Tests.Infrastructure;

namespace Mada.Cli.Tests.Commands;

/// <summary>Bad arguments get a message that says what is wrong, on standard error, and exit code 1; nothing trains.</summary>
public sealed class BadArgumentTests
{
    [Theory]
    [InlineData("train --optimizer adamax", "unknown optimizer 'adamax'; expected one of: mada, hyperadam, adam, adamw, avgrad, yogi, adan, lion, amsgrad, sgd")]
    [InlineData("compare --optimizers mada,adamax", "unknown optimizer 'adamax'")]
    [InlineData("train --model rnn", "unknown model 'rnn'; expected one of: mlp, cnn, gpt")]
    [InlineData("train --mode exact", "unknown mode 'exact'")]
    [InlineData("train --steps -5", "--steps must be at least 1, not -5.")]
    [InlineData("train --steps 0", "--steps must be at least 1, not 0.")]
    [InlineData("train --batch-size -1", "--batch-size must be at least 1, not -1.")]
    [InlineData("train --eval-every -2", "--eval-every must be at least 0, not -2.")]
    [InlineData("train --steps ten", "--steps takes a whole number, not 'ten'.")]
    [InlineData("train --lr fast", "--lr takes a number, not 'fast'.")]
    [InlineData("train --beta1 0,9", "--beta1 takes a number, not '0,9'.")]
    [InlineData("train --seed -1", "--seed takes a whole number from 0 to")]
    [InlineData("train --steps", "Required argument missing for option: '--steps'.")]
    [InlineData("train --frobnicate", "Unrecognized command or argument '--frobnicate'.")]
    [InlineData("train --device cuda", "--device cuda: this build has only the CPU step")]
    [InlineData("train --optimizer sgd --beta1 0.8", "--beta1 sets a MADA coefficient, but sgd is not of the MADA family.")]
    [InlineData("plot", "Required argument missing for command: 'plot'.")]
    [InlineData("compare --seeds 0", "--seeds must be at least 1, not 0.")]
    [InlineData("compare --seeds a,b", "--seeds takes a number of seeds (3: seeds 0, 1, 2) or a comma-separated list of seeds (0,1,2), not 'a,b'.")]
    [InlineData("compare --seeds -1", "--seeds takes a number of seeds")]
    [InlineData("compare --seeds 0,2,0", "--seeds lists seed 0 twice")]
    [InlineData("compare --seed 1 --seeds 2", "--seed and --seeds both given")]
    [InlineData("compare --mode paper --modes paper,reference", "--mode and --modes both given")]
    [InlineData("sweep --beta1 0.8 --beta2 0.9 --modes paper,fancy", "--modes: unknown mode 'fancy'")]
    [InlineData("compare --baseline adamax", "--baseline: unknown optimizer 'adamax'")]
    [InlineData("compare --optimizers mada,sgd --baseline adam", "--baseline adam is not among the optimizers compared (mada, sgd)")]
    public async Task ABadArgumentIsNamedAndFailsTheRun(string commandLine, string message)
    {
        var result = await MadaProgram.RunAsync(commandLine);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingDataFileOrFolderIsNamed()
    {
        using var run = new TinyRun();
        string absentFile = run.PathOf("absent.txt");
        string absentFolder = run.PathOf("absent");

        var text = await MadaProgram.RunAsync("train", "--model", "gpt", "--data", absentFile);
        var images = await MadaProgram.RunAsync("train", "--model", "cnn", "--data", absentFolder);
        var folderForText = await MadaProgram.RunAsync("train", "--model", "gpt", "--data", run.Data);

        Assert.Equal((1, $"error: --data {absentFile}: no such file."), (text.ExitCode, text.Error.Trim()));
        Assert.Equal((1, $"error: --data {absentFolder}: no such folder."), (images.ExitCode, images.Error.Trim()));
        Assert.Equal(1, folderForText.ExitCode);
        Assert.Contains("is a folder, but a GPT trains on a UTF-8 text file", folderForText.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingCheckpointIsNamed()
    {
        using var run = new TinyRun();
        string absent = run.PathOf("absent.pt");

        var result = await MadaProgram.RunAsync(run.Train("run", more: ["--resume", absent]));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: --resume {absent}: no such file.", result.Error.Trim());
        Assert.False(Directory.Exists(run.PathOf("run")));
    }

    /// <summary>
    /// Values only the library checks come back with its message, in the words of the command
    /// line: the flags the user typed, not the library's field names.
    /// </summary>
    [Theory]
    [InlineData("--lr -0.1", "--lr", "lr")]
    [InlineData("--weight-decay -1", "--weight-decay", "weight_decay")]
    [InlineData("--grad-clip -1", "--grad-clip", "grad_clip")]
    public async Task AnOptionTheLibraryRefusesIsReportedWithItsMessageNamingTheFlag(string given, string flag, string libraryName)
    {
        using var run = new TinyRun();

        var result = await MadaProgram.RunAsync(run.Train("run", steps: 6, more: given.Split(' ')));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: invalid trainer option: ", result.Error, StringComparison.Ordinal);
        Assert.Contains(flag, result.Error, StringComparison.Ordinal);
        Assert.DoesNotMatch($@"(?<![\w-]){Regex.Escape(libraryName)}(?!\w)", result.Error);
        Assert.False(Directory.Exists(run.PathOf("run")));
    }

    /// <summary>The warm-up must end before the last step: both sides of that rule are flags.</summary>
    [Fact]
    public async Task ARuleBetweenTwoOptionsNamesBothFlags()
    {
        using var run = new TinyRun();

        var result = await MadaProgram.RunAsync(run.Train("run", steps: 6, more: ["--warmup", "6"]));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--warmup must lie in [0, --steps)", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("_steps", result.Error, StringComparison.Ordinal);
    }

    /// <summary>
    /// A starting coefficient outside the optimizer's bounds is refused (never clamped), naming the
    /// flag, the value and the range the optimizer allows (its preset's bounds, as the library has them).
    /// </summary>
    [Theory]
    [InlineData("--beta1", 1.5)]
    [InlineData("--beta2", 0.3)]
    [InlineData("--gamma", -0.25)]
    public async Task ACoefficientOutsideItsBoundsIsRefusedNamingTheFlagAndItsRange(string flag, double value)
    {
        using var run = new TinyRun();
        var coefficient = Enum.Parse<Coefficient>(flag[2..], ignoreCase: true);
        var preset = MadaOptions.Mada;
        string range = string.Create(
            CultureInfo.InvariantCulture, $"[{preset.LowerBounds[coefficient]}, {preset.UpperBounds[coefficient]}]");

        var result = await MadaProgram.RunAsync(run.Train("run", more: [flag, value.ToString(CultureInfo.InvariantCulture)]));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(flag, result.Error, StringComparison.Ordinal);
        Assert.Contains(range, result.Error, StringComparison.Ordinal);
        Assert.Contains(value.ToString(CultureInfo.InvariantCulture), result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("q0.", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(run.PathOf("run")));
    }

    /// <summary>An output folder that cannot be made is named, with the operating system's reason.</summary>
    [Fact]
    public async Task AnOutputFolderThatCannotBeCreatedIsNamedWithTheSystemsReason()
    {
        using var run = new TinyRun();
        string file = run.PathOf("a-file");
        File.WriteAllText(file, "not a folder");
        string underAFile = Path.Combine(file, "run");

        var inProc = await MadaProgram.RunAsync(run.Train("/proc/nope"));
        var inFile = await MadaProgram.RunAsync(run.Train(underAFile));

        Assert.Equal(1, inProc.ExitCode);
        Assert.Contains("cannot create the output folder /proc/nope", inProc.Error, StringComparison.Ordinal);
        Assert.Contains("No such file or directory", inProc.Error, StringComparison.Ordinal);
        Assert.Equal(1, inFile.ExitCode);
        Assert.Contains($"cannot create the output folder {underAFile}", inFile.Error, StringComparison.Ordinal);
        Assert.Contains("Not a directory", inFile.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Could not find", inProc.Error + inFile.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlottingAFolderThatIsNoRunIsRefused()
    {
        using var run = new TinyRun();

        var result = await MadaProgram.RunAsync("plot", run.Data);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: {run.Data} is not a run folder: it has no metrics.json.", result.Error.Trim());
    }
}
