using Mada.Cli.Metrics;

namespace Mada.Cli.Reporting;

/// <summary>
/// A comparison's result for programs: summary.json (everything, with each seed's numbers) and
/// summary.csv (one row per optimizer). Numbers in invariant culture and round-trip precision; a
/// deviation of one seed, and the baseline's comparison with itself, are null in JSON and empty in CSV.
/// </summary>
internal static class SummaryFiles
{
    public const string JsonName = "summary.json";

    public const string CsvName = "summary.csv";

    public const string CsvHeader =
        "optimizer,seeds,train_loss_mean,train_loss_std,eval_loss_mean,eval_loss_std,eval_accuracy_mean,eval_accuracy_std," +
        "seconds_mean,baseline,eval_loss_diff_mean,eval_loss_diff_std,wins,ties,losses";

    /// <summary>Writes both files into <paramref name="directory"/> and returns their paths.</summary>
    public static string[] Write(ComparisonSummary summary, string directory)
    {
        string json = Path.Combine(directory, JsonName);
        JsonFiles.Write(json, Document(summary));
        string csv = Path.Combine(directory, CsvName);
        CsvFiles.Write(csv, CsvHeader, Rows(summary));
        return [json, csv];
    }

    /// <summary>The JSON document; property names become snake case (<see cref="JsonFiles.Options"/>).</summary>
    private static object Document(ComparisonSummary summary) => new
    {
        summary.Baseline,
        summary.Seeds,
        Optimizers = summary.Optimizers.Select(result => new
        {
            result.Optimizer,
            TrainLoss = Statistics(result.TrainLoss),
            EvalLoss = Statistics(result.EvalLoss),
            EvalAccuracy = Statistics(result.EvalAccuracy),
            Seconds = Statistics(result.Seconds),
            EvalLossVsBaseline = result.VersusBaseline is { } versus
                ? new { Difference = Statistics(versus.Difference), versus.Wins, versus.Ties, versus.Losses }
                : null,
            Runs = result.Runs.Select(run => new
            {
                run.Seed,
                run.TrainLoss,
                run.EvalLoss,
                run.EvalAccuracy,
                Seconds = run.Elapsed.TotalSeconds,
            }),
        }),
    };

    private static object Statistics(SampleStatistics statistics) =>
        new { statistics.Count, statistics.Mean, statistics.StandardDeviation };

    private static IEnumerable<object?[]> Rows(ComparisonSummary summary) =>
        summary.Optimizers.Select(result =>
        {
            var versus = result.VersusBaseline;
            return new object?[]
            {
                result.Optimizer, result.Runs.Count,
                result.TrainLoss.Mean, result.TrainLoss.StandardDeviation,
                result.EvalLoss.Mean, result.EvalLoss.StandardDeviation,
                result.EvalAccuracy.Mean, result.EvalAccuracy.StandardDeviation,
                result.Seconds.Mean, summary.Baseline,
                versus?.Difference.Mean, versus?.Difference.StandardDeviation, versus?.Wins, versus?.Ties, versus?.Losses,
            };
        });
}
