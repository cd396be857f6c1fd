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

    [Fact]
    public async Task ResumingAFinishedRunChangesNothing()
    {
        using var run = new TinyRun();
        await MadaProgram.RunAsync(run.Train("run"));
        var before = MetricsWithoutTime(run.PathOf("run"));

        var resumed = await MadaProgram.RunAsync(run.Train("run", more: ["--resume", Path.Combine(run.PathOf("run"), "checkpoint.pt")]));

        Assert.Equal(0, resumed.ExitCode);
        Assert.Equal(before, MetricsWithoutTime(run.PathOf("run")));
    }

    /// <summary>metrics.csv without its last column, the wall time.</summary>
    private static List<string> MetricsWithoutTime(string directory) =>
        File.ReadAllLines(Path.Combine(directory, "metrics.csv")).Select(line => line[..line.LastIndexOf(',')]).ToList();
}
