using Spectre.Console;

namespace Mada.Cli.Training;

/// <summary>
/// <c>mada train --procs N</c>: this command started again N times as the ranks of one run,
/// meeting at a fresh file store, each with cores / N threads. Rank 0 writes to this console and
/// the run folder as a one-process run does; rank r &gt; 0 writes to &lt;dir&gt;/logs/rank-r.log.
/// </summary>
internal static class DataParallelLaunch
{
    /// <summary>Runs the ranks to their end; the exit code is the run's (the first failing rank's log is named).</summary>
    public static int Run(IReadOnlyList<string> arguments, int procs, string directory, IAnsiConsole console, CancellationToken cancellation)
    {
        string store = Path.Combine(Path.GetTempPath(), $"mada-store-{Guid.NewGuid():N}");
        string logs = Path.Combine(directory, "logs");
        RunFolder.Create(logs);
        int threads = Math.Max(1, Environment.ProcessorCount / procs);
        var ranks = new List<ChildProcess>();
        try
        {
            for (int rank = 0; rank < procs; rank++)
            {
                var info = MadaProcess.With(
                    [.. arguments, "--out", directory, "--rank", Text(rank), "--world-size", Text(procs), "--store", "file:" + store],
                    threads,
                    captureOutput: rank > 0);
                ranks.Add(ChildProcess.Start(info, rank > 0 ? Path.Combine(logs, $"rank-{rank}.log") : null));
            }
            string others = procs == 2 ? "rank 1 writes" : $"ranks 1 to {procs - 1} write";
            console.WriteLine($"{procs} ranks started, {threads} thread(s) each; {others} to {logs}");
            // A rank that fails stops the run: the others get a few seconds to say what they saw
            // (a peer gone), then stop, instead of waiting out the timeout (one that failed
            // before it joined leaves the others waiting for it at the store).
            var deadline = DateTime.MaxValue;
            while (ranks.Any(rank => !rank.Process.HasExited))
            {
                if (cancellation.IsCancellationRequested)
                {
                    return ExitCodes.Interrupted;
                }
                if (deadline == DateTime.MaxValue && ranks.Any(rank => rank.Process.HasExited && rank.Process.ExitCode != 0))
                {
                    deadline = DateTime.UtcNow + FailureGrace;
                }
                if (DateTime.UtcNow > deadline)
                {
                    break;  // the finally stops the rest
                }
                Thread.Sleep(50);
            }
            foreach (var rank in ranks.Where(rank => !rank.Process.HasExited))
            {
                rank.Stop();
            }
            foreach (var rank in ranks)
            {
                rank.Finish();  // its last output is in its log
            }
            var failed = ranks.Select((rank, index) => (rank, index)).Where(r => r.rank.Process.ExitCode != 0).ToList();
            if (failed.Count == 0)
            {
                return ExitCodes.Success;
            }
            foreach (var (rank, index) in failed)
            {
                console.WriteLine($"rank {index} exited with code {rank.Process.ExitCode}" + (rank.Log is null ? string.Empty : $"; its output: {rank.Log}"));
            }
            return ranks[0].Process.ExitCode == ExitCodes.Interrupted ? ExitCodes.Interrupted : ExitCodes.Failure;
        }
        finally
        {
            foreach (var rank in ranks)
            {
                rank.Stop();
            }
            File.Delete(store);
        }
    }

    private static readonly TimeSpan FailureGrace = TimeSpan.FromSeconds(5);

    private static string Text(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
