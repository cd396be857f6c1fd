using System.Globalization;
using Mada.Cli.Tests.Infrastructure;

namespace Mada.Cli.Tests.Commands;

/// <summary>
/// <c>mada train --procs N</c>: N local ranks train one run, which rank 0 records as a
/// one-process run of the same global batch would be recorded; the options that join a run
/// started elsewhere are checked before anything starts.
/// </summary>
public sealed class DataParallelTrainTests
{
    [Fact]
    public async Task TwoLocalRanksTrainTheRunOneProcessWithTheirTwoBatchesTrains()
    {
        using var run = new TinyRun();

        var pair = await MadaProgram.RunAsync(run.Train("pair", more: ["--procs", "2"]));
        string[] twoBatches = run.Train("single");
        twoBatches[Array.IndexOf(twoBatches, "--batch-size") + 1] = "8";
        var single = await MadaProgram.RunAsync(twoBatches);

        Assert.True(pair.ExitCode == 0, pair.Output + pair.Error);
        Assert.True(single.ExitCode == 0, single.Error);
        Assert.True(File.Exists(Path.Combine(run.PathOf("pair"), "checkpoint.pt")));
        Assert.Contains("rank 1: 6 steps done", File.ReadAllText(Path.Combine(run.PathOf("pair"), "logs", "rank-1.log")), StringComparison.Ordinal);
        using (var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(run.PathOf("pair"), "metrics.json"))))
        {
            Assert.Equal(2, json.RootElement.GetProperty("run").GetProperty("ranks").GetInt32());
        }
        double[] pairLosses = Losses(run.PathOf("pair")), singleLosses = Losses(run.PathOf("single"));
        Assert.Equal(6, pairLosses.Length);
        // The same rows in another reduction order (the native tests give the tolerance's reasons).
        for (int i = 0; i < pairLosses.Length; i++)
        {
            Assert.Equal(singleLosses[i], pairLosses[i], 1e-5 * singleLosses[i]);
        }
    }

    [Fact]
    public async Task ShardedLocalRanksTrainTheSameRun()
    {
        using var run = new TinyRun();

        var sharded = await MadaProgram.RunAsync(run.Train("sharded", more: ["--procs", "2", "--shard-state"]));
        var whole = await MadaProgram.RunAsync(run.Train("whole", more: ["--procs", "2"]));

        Assert.True(sharded.ExitCode == 0, sharded.Output + sharded.Error);
        Assert.True(whole.ExitCode == 0, whole.Output + whole.Error);
        double[] shardedLosses = Losses(run.PathOf("sharded")), wholeLosses = Losses(run.PathOf("whole"));
        for (int i = 0; i < wholeLosses.Length; i++)
        {
            Assert.Equal(wholeLosses[i], shardedLosses[i], 1e-5 * wholeLosses[i]);
        }
    }

    /// <summary>
    /// Rank 1 of a long run is killed from outside: the launcher ends the run within seconds
    /// (rank 0 sees the closed connection; the launcher stops what is left) and names the rank.
    /// </summary>
    [Fact]
    public async Task AKilledRankEndsTheRunAndIsNamed()
    {
        using var run = new TinyRun();
        string[] arguments = run.Train("killed", steps: 100000, "--timeout", "600");
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var running = MadaProgram.RunAsync([.. arguments, "--procs", "2"]);
        int? victim = null;
        while (victim is null && clock.Elapsed < TimeSpan.FromSeconds(60) && !running.IsCompleted)
        {
            victim = RankProcess(run.PathOf("killed"), rank: 1);
            await Task.Delay(100);
        }
        Assert.NotNull(victim);
        await Task.Delay(1000);  // let it join and train
        System.Diagnostics.Process.GetProcessById(victim.Value).Kill();
        var result = await running.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("rank 1 exited with code", result.Output, StringComparison.Ordinal);
    }

    /// <summary>The process id of the rank of the run writing into <paramref name="folder"/>, from /proc's command lines.</summary>
    private static int? RankProcess(string folder, int rank)
    {
        foreach (string entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out int pid))
            {
                continue;
            }
            try
            {
                string[] words = File.ReadAllText(Path.Combine(entry, "cmdline")).Split('\0');
                int at = Array.IndexOf(words, "--rank");
                if (words.Contains(folder) && at >= 0 && words[at + 1] == rank.ToString(CultureInfo.InvariantCulture))
                {
                    return pid;
                }
            }
            catch (IOException)
            {
                // Gone meanwhile.
            }
        }
        return null;
    }

    [Fact]
    public async Task ProcsAndTheOptionsThatJoinARunElsewhereAreNotMixed()
    {
        using var run = new TinyRun();

        var mixed = await MadaProgram.RunAsync(run.Train("mixed", more: ["--procs", "2", "--rank", "0"]));
        var storeless = await MadaProgram.RunAsync(run.Train("storeless", more: ["--world-size", "2"]));
        var outside = await MadaProgram.RunAsync(run.Train("outside", more: ["--world-size", "2", "--rank", "2", "--store", "file:x"]));

        Assert.NotEqual(0, mixed.ExitCode);
        Assert.Contains("--procs starts the ranks", mixed.Error, StringComparison.Ordinal);
        Assert.Contains("--world-size 2 needs --store", storeless.Error, StringComparison.Ordinal);
        Assert.Contains("--rank 2 is not a rank of --world-size 2", outside.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(run.PathOf("storeless")));
    }

    private static double[] Losses(string folder) =>
        File.ReadAllLines(Path.Combine(folder, "metrics.csv"))[1..]
            .Select(line => double.Parse(line.Split(',')[1], CultureInfo.InvariantCulture))
            .ToArray();
}
