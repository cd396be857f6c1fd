namespace Mada.Cli.Charts;

/// <summary>
/// Several runs' values of one quantity at the steps all of them logged: their mean and their
/// range (min..max). With a handful of seeds the range shows every run, where a ± band would
/// suggest a distribution three points cannot give.
/// </summary>
internal sealed record SeedBand(double[] Steps, double[] Mean, double[] Low, double[] High)
{
    /// <summary>The band of <paramref name="series"/>, one (step, value) list per run; one run gives a band of no width.</summary>
    public static SeedBand Of(IReadOnlyList<IReadOnlyList<(long Step, double Value)>> series)
    {
        var byStep = series.Select(run => run.ToDictionary(point => point.Step, point => point.Value)).ToList();
        long[] steps = series.Count == 0
            ? []
            : series[0].Select(point => point.Step).Where(step => byStep.All(run => run.ContainsKey(step))).ToArray();
        double[][] values = steps.Select(step => byStep.Select(run => run[step]).ToArray()).ToArray();
        return new SeedBand(
            steps.Select(step => (double)step).ToArray(),
            values.Select(at => at.Average()).ToArray(),
            values.Select(at => at.Min()).ToArray(),
            values.Select(at => at.Max()).ToArray());
    }
}
