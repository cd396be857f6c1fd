namespace Mada.Cli.Reporting;

/// <summary>
/// A candidate against a baseline, seed by seed, where lower is better (a final eval loss). Each
/// seed gives both the same initialisation and batches, so their difference on one seed cancels
/// what the seed decides, and the spread of the differences is the one that says whether the
/// candidate is better, not the spread of either alone.
/// </summary>
/// <param name="Difference">The statistics of candidate - baseline over the seeds (negative: the candidate's value is lower).</param>
/// <param name="Wins">Seeds on which the candidate's value is lower.</param>
/// <param name="Ties">Seeds on which they are equal (or both NaN).</param>
/// <param name="Losses">Seeds on which the baseline's value is lower.</param>
internal sealed record PairedComparison(SampleStatistics Difference, int Wins, int Ties, int Losses)
{
    /// <summary>The seeds compared.</summary>
    public int Count => Wins + Ties + Losses;

    /// <summary>Compares <paramref name="candidate"/>[i] with <paramref name="baseline"/>[i], both of the same seed.</summary>
    /// <exception cref="ArgumentException">The lists differ in length: some seed would have no partner.</exception>
    public static PairedComparison Of(IReadOnlyList<double> baseline, IReadOnlyList<double> candidate)
    {
        if (baseline.Count != candidate.Count)
        {
            throw new ArgumentException(
                $"A paired comparison needs one baseline value per candidate value, not {baseline.Count} and {candidate.Count}.", nameof(candidate));
        }
        int wins = 0, ties = 0;
        for (int i = 0; i < baseline.Count; i++)
        {
            switch (Order(candidate[i], baseline[i]))
            {
                case < 0:
                    wins++;
                    break;
                case 0:
                    ties++;
                    break;
            }
        }
        var differences = candidate.Zip(baseline, (c, b) => c - b).ToList();
        return new PairedComparison(SampleStatistics.Of(differences), wins, ties, baseline.Count - wins - ties);
    }

    /// <summary>Lower first, NaN (a diverged run) last: any number beats NaN.</summary>
    private static int Order(double a, double b) =>
        double.IsNaN(a) || double.IsNaN(b) ? double.IsNaN(a).CompareTo(double.IsNaN(b)) : a.CompareTo(b);
}
