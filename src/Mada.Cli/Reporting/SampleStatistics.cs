namespace Mada.Cli.Reporting;

/// <summary>
/// The mean and sample standard deviation of a few numbers, such as one optimizer's final eval
/// loss over seeds. The deviation divides by n - 1 (Bessel's correction): a handful of seeds is a
/// sample of the seeds one could have drawn, and dividing by n would understate the spread.
/// </summary>
/// <param name="Count">How many numbers.</param>
/// <param name="Mean">Their mean; NaN when there are none, or when one is NaN (a diverged run).</param>
/// <param name="StandardDeviation">The sample standard deviation; null for fewer than two numbers, which have no spread to estimate.</param>
internal readonly record struct SampleStatistics(int Count, double Mean, double? StandardDeviation)
{
    public static SampleStatistics Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
        {
            return new SampleStatistics(0, double.NaN, null);
        }
        double mean = values.Average();
        if (values.Count == 1)
        {
            return new SampleStatistics(1, mean, null);
        }
        double squares = values.Sum(value => (value - mean) * (value - mean));
        return new SampleStatistics(values.Count, mean, Math.Sqrt(squares / (values.Count - 1)));
    }

    /// <summary>
    /// "mean ± deviation" in <paramref name="format"/> (F4, P2), or the mean alone where there is
    /// no deviation; <paramref name="signed"/> writes + before a positive mean (a difference).
    /// </summary>
    public string ToString(string format, bool signed = false)
    {
        string mean = (signed && Mean > 0 ? "+" : string.Empty) + Mean.ToString(format);
        return StandardDeviation is { } deviation ? $"{mean} ± {deviation.ToString(format)}" : mean;
    }
}
