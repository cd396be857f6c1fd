using System.Globalization;

namespace Mada.Cli.Metrics;

/// <summary>
/// metrics.csv: one row per logged step, numbers in invariant culture, round-trip precision, an
/// empty field for "none" (coefficients outside the MADA family, eval columns between evaluations).
/// </summary>
internal static class MetricsCsv
{
    public const string Header = "step,loss,lr,grad_norm,beta1,beta2,beta3,rho,c,gamma,eval_loss,eval_accuracy,elapsed_seconds";

    private const int ColumnCount = 13;

    /// <summary>The rows of a file this program wrote.</summary>
    /// <exception cref="CliException">The file is not such a file.</exception>
    public static List<MetricsRow> Read(string path)
    {
        var rows = new List<MetricsRow>();
        using var reader = new StreamReader(path);
        if (reader.ReadLine() != Header)
        {
            throw new CliException($"{path} is not a metrics file of this program (its header differs).");
        }
        int lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }
            rows.Add(Parse(line) ?? throw new CliException($"{path}, line {lineNumber}: not a metrics row."));
        }
        return rows;
    }

    private static MetricsRow? Parse(string line)
    {
        string[] fields = line.Split(',');
        if (fields.Length != ColumnCount
            || !long.TryParse(fields[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out long step))
        {
            return null;
        }
        double?[] numbers = new double?[ColumnCount];
        for (int i = 1; i < ColumnCount; i++)
        {
            if (fields[i].Length == 0)
            {
                continue;
            }
            if (!double.TryParse(fields[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                return null;
            }
            numbers[i] = value;
        }
        Coefficients? coefficients = numbers[4] is null
            ? null
            : new Coefficients(numbers[4]!.Value, numbers[5] ?? 0, numbers[6] ?? 0, numbers[7] ?? 0, numbers[8] ?? 0, numbers[9] ?? 0);
        return new MetricsRow(step, numbers[1] ?? 0, numbers[2] ?? 0, numbers[3] ?? 0, coefficients, numbers[10], numbers[11], numbers[12] ?? 0);
    }
}
