using System.Globalization;
using System.Text.Json;
using Mada.Cli.Tests.Infrastructure;

namespace Mada.Cli.Tests.Commands;

/// <summary><c>mada train</c> on a miniature Fashion-MNIST: the metrics files, the checkpoint and resuming.</summary>
public sealed class TrainCommandTests
{
    private const string Header = "step,loss,lr,grad_norm,beta1,beta2,beta3,rho,c,gamma,eval_loss,eval_accuracy,elapsed_seconds";

    [Fact]
    public async Task ATinyRunWritesOneCsvRowPerStepWithEvaluationsWhereEvaluated()
    {
        using var run = new TinyRun();

        var result = await MadaProgram.RunAsync(run.Train("run"));

        Assert.Equal(0, result.ExitCode);
        string[] lines = File.ReadAllLines(Path.Combine(run.PathOf("run"), "metrics.csv"));
        Assert.Equal(Header, lines[0]);
        string[][] rows = lines[1..].Select(line => line.Split(',')).ToArray();
        Assert.Equal(["1", "2", "3", "4", "5", "6"], rows.Select(row => row[0]));
        Assert.All(rows, row => Assert.Equal(13, row.Length));
        Assert.All(rows, row => Assert.All(row[1..10], field => double.Parse(field, CultureInfo.InvariantCulture)));
        // --eval-every 3: steps 3 and 6 (the last) carry eval loss and accuracy, the others none.
        Assert.Equal([false, false, true, false, false, true], rows.Select(row => row[10].Length > 0));
        Assert.Equal([false, false, true, false, false, true], rows.Select(row => row[11].Length > 0));
        Assert.Equal("0.9", rows[0][4]);
        Assert.True(File.Exists(Path.Combine(run.PathOf("run"), "checkpoint.pt")));
        Assert.Contains("mada: step 6, train loss", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheJsonHoldsTheRunAndTheSameStepsAsTheCsv()
    {
        using var run = new TinyRun();

        await MadaProgram.RunAsync(run.Train("run"));

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.PathOf("run"), "metrics.json")));
        var info = json.RootElement.GetProperty("run");
        var steps = json.RootElement.GetProperty("steps").EnumerateArray().ToList();
        string[] firstCsvRow = File.ReadAllLines(Path.Combine(run.PathOf("run"), "metrics.csv"))[1].Split(',');
        Assert.Equal(("mlp", "mada", 6, 4), (info.GetProperty("model").GetString(), info.GetProperty("optimizer").GetString(), info.GetProperty("steps").GetInt32(), info.GetProperty("batch_size").GetInt32()));
        Assert.Equal(run.Data, info.GetProperty("data").GetString());
        Assert.Equal(6, steps.Count);
        Assert.Equal(double.Parse(firstCsvRow[1], CultureInfo.InvariantCulture), steps[0].GetProperty("loss").GetDouble());
        Assert.Equal(0.9, steps[0].GetProperty("coefficients").GetProperty("beta1").GetDouble());
        Assert.Equal(JsonValueKind.Null, steps[0].GetProperty("eval_loss").ValueKind);
        Assert.InRange(steps[5].GetProperty("eval_accuracy").GetDouble(), 0, 1);
    }

    [Fact]
    public async Task OutsideTheMadaFamilyTheCoefficientFieldsAreEmpty()
    {
        using var run = new TinyRun();

        await MadaProgram.RunAsync(run.Train("run", more: ["--optimizer", "sgd"]));

        string[] lines = File.ReadAllLines(Path.Combine(run.PathOf("run"), "metrics.csv"));
        Assert.All(lines[1..], line => Assert.Equal(["", "", "", "", "", ""], line.Split(',')[4..10]));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.PathOf("run"), "metrics.json")));
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("steps")[0].GetProperty("coefficients").ValueKind);
    }

    /// <summary>Any of --beta1 ... --gamma starts from the preset's point with the given ones changed; lr defaults to the preset's.</summary>
    [Fact]
    public async Task GivenCoefficientsReplaceThoseOfThePresetsStartingPoint()
    {
        using var run = new TinyRun();

        await MadaProgram.RunAsync(run.Train("mada", more: ["--beta3", "0.25", "--gamma", "0.5"]));
        await MadaProgram.RunAsync(run.Train("lion", more: ["--optimizer", "lion"]));

        string[] first = File.ReadAllLines(Path.Combine(run.PathOf("mada"), "metrics.csv"))[1].Split(',');
        Assert.Equal(["0.9", "0.95", "0.25", "1", "1", "0.5"], first[4..10]);
        using var lion = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.PathOf("lion"), "metrics.json")));
        Assert.Equal(1e-4, lion.RootElement.GetProperty("run").GetProperty("lr").GetDouble());
    }

    /// <summary>Ctrl+C stops the run with a checkpoint and exit code 130; --resume then ends where an uninterrupted run ends, bit for bit.</summary>
    [Fact]
    public async Task AnInterruptedRunResumesToTheSameMetricsAsAnUninterruptedOne()
    {
        using var run = new TinyRun();
        await MadaProgram.RunAsync(run.Train("whole"));
        using var stop = new CancellationTokenSource();
        await stop.CancelAsync();

        var interrupted = await MadaProgram.RunAsync(run.Train("interrupted"), stop.Token);
        var resumed = await MadaProgram.RunAsync(run.Train("interrupted", more: ["--resume", Path.Combine(run.PathOf("interrupted"), "checkpoint.pt")]));

        Assert.Equal(130, interrupted.ExitCode);
        Assert.Contains("--resume", interrupted.Output, StringComparison.Ordinal);
        Assert.Equal(0, resumed.ExitCode);
        Assert.Equal(MetricsWithoutTime(run.PathOf("whole")), MetricsWithoutTime(run.PathOf("interrupted")));
    }

    /// <summary>
    /// Ctrl+C well into a run: the closing line says at which step (of how many) it stopped, and the
    /// evaluation it shows is labelled with the step it was taken at (the last periodic one, older).
    /// </summary>
    [Fact]
    public async Task AnInterruptedRunsSummarySaysWhereItStoppedAndWhenItsEvaluationWasTaken()
    {
        using var run = new TinyRun();
        string csv = Path.Combine(run.PathOf("run"), "metrics.csv");
        using var stop = new CancellationTokenSource();

        // Far too long to finish: stopped once a few periodic evaluations (every 3 steps) lie behind it.
        var training = MadaProgram.RunAsync(run.Train("run", steps: 1_000_000), stop.Token);
        while (RowCount(csv) < 10 && !training.IsCompleted)
        {
            await Task.Delay(10);
        }
        await stop.CancelAsync();
        var result = await training;

        string[][] rows = File.ReadAllLines(csv)[1..].Select(line => line.Split(',')).ToArray();
        string stoppedAt = rows[^1][0];
        string evaluatedAt = rows.Last(row => row[10].Length > 0)[0];
        string summary = result.Output.Split('\n').Single(line => line.StartsWith("mada: ", StringComparison.Ordinal) && line.Contains("train loss", StringComparison.Ordinal));
        Assert.Equal(130, result.ExitCode);
        Assert.Contains($"stopped at step {stoppedAt} of 1000000", summary, StringComparison.Ordinal);
        Assert.Contains($"evaluation at step {evaluatedAt}", summary, StringComparison.Ordinal);
    }

    /// <summary>A finished run has nothing left to train: resuming it is an error naming the checkpoint's step and --steps, and changes nothing.</summary>
    [Fact]
    public async Task ResumingAFinishedRunIsRefusedNamingBothStepCountsAndChangesNothing()
    {
        using var run = new TinyRun();
        string checkpoint = Path.Combine(run.PathOf("run"), "checkpoint.pt");
        await MadaProgram.RunAsync(run.Train("run", steps: 6));
        var before = MetricsWithoutTime(run.PathOf("run"));
        byte[] checkpointBefore = File.ReadAllBytes(checkpoint);

        var resumed = await MadaProgram.RunAsync(run.Train("run", steps: 6, more: ["--resume", checkpoint]));

        Assert.Equal(1, resumed.ExitCode);
        Assert.Contains("step 6", resumed.Error, StringComparison.Ordinal);
        Assert.Contains("--steps 6", resumed.Error, StringComparison.Ordinal);
        Assert.Equal(before, MetricsWithoutTime(run.PathOf("run")));
        Assert.Equal(checkpointBefore, File.ReadAllBytes(checkpoint));
    }

    /// <summary>
    /// The checkpoint holds no schedule and metrics.json records one set of settings for the whole
    /// run, so a resume that changes a setting is refused, naming the flag with the run's value and
    /// the new one; the run's record stays as it was.
    /// </summary>
    [Theory]
    [InlineData("--lr", "0.002", "0.01")]
    [InlineData("--warmup", "1", "2")]
    [InlineData("--beta1", "0.85", "0.8")]
    [InlineData("--seed", "3", "4")]
    [InlineData("--grad-accumulation", "1", "2")]
    [InlineData("--steps", "6", "8")]
    public async Task ResumingWithAChangedSettingIsRefusedNamingTheFlagAndBothValues(string flag, string original, string changed)
    {
        using var run = new TinyRun();
        string checkpoint = Path.Combine(run.PathOf("run"), "checkpoint.pt");
        using var stop = new CancellationTokenSource();
        await stop.CancelAsync();
        await MadaProgram.RunAsync(Arguments(run, flag, original), stop.Token);
        string recordBefore = File.ReadAllText(Path.Combine(run.PathOf("run"), "metrics.json"));

        var resumed = await MadaProgram.RunAsync([.. Arguments(run, flag, changed), "--resume", checkpoint]);

        Assert.Equal(1, resumed.ExitCode);
        Assert.Contains($"{flag} {original}", resumed.Error, StringComparison.Ordinal);
        Assert.Contains($"{flag} {changed}", resumed.Error, StringComparison.Ordinal);
        Assert.Equal(recordBefore, File.ReadAllText(Path.Combine(run.PathOf("run"), "metrics.json")));
    }

    /// <summary>A tiny run with <paramref name="flag"/> set to <paramref name="value"/> (--steps is one of TinyRun's own).</summary>
    private static string[] Arguments(TinyRun run, string flag, string value) =>
        flag == "--steps" ? run.Train("run", steps: int.Parse(value, CultureInfo.InvariantCulture)) : run.Train("run", more: [flag, value]);

    /// <summary>Rows of a metrics.csv being written (0 before it exists), read without disturbing the writer.</summary>
    private static int RowCount(string csv)
    {
        try
        {
            using var reader = new StreamReader(new FileStream(csv, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
            return reader.ReadToEnd().Count(character => character == '\n') - 1;
        }
        catch (FileNotFoundException)
        {
            return 0;
        }
        catch (DirectoryNotFoundException)
        {
            return 0;
        }
    }

    /// <summary>metrics.csv without its last column, the wall time.</summary>
    private static List<string> MetricsWithoutTime(string directory) =>
        File.ReadAllLines(Path.Combine(directory, "metrics.csv")).Select(line => line[..line.LastIndexOf(',')]).ToList();
}
