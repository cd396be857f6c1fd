using Mada.Cli.Metrics;
using Mada.Tests.Checkpoints;

namespace Mada.Cli.Tests.Metrics;

/// <summary>metrics.csv reads back exactly what was written: a resumed run rebuilds its log from it.</summary>
public sealed class MetricsCsvTests
{
    [Fact]
    public void RowsRoundTripBitForBit()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("metrics.csv");
        MetricsRow[] rows =
        [
            new(1, 2.302585092994046, 1e-3 / 3, 0.1 + 0.2, new Coefficients(0.9, 0.95, 0, 1, 1, 1), null, null, 0.0123),
            new(2, double.NaN, 5e-324, double.MaxValue, null, 1.5, 0.875, 12.5),
            new(3, -0.0, 0, 1, new Coefficients(0.1, 0.2, 0.3, 0.4, 0.5, 0.6), 2, 1, 1e9),
        ];

        using (var writer = new MetricsCsvWriter(path))
        {
            foreach (var row in rows)
            {
                writer.Write(row);
            }
        }

        Assert.Equal(rows, MetricsCsv.Read(path));
    }

    [Fact]
    public void AFileOfAnotherProgramIsRefused()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("other.csv");
        File.WriteAllText(path, "epoch,loss\n1,0.5\n");

        var error = Assert.Throws<CliException>(() => MetricsCsv.Read(path));

        Assert.Contains("not a metrics file", error.Message, StringComparison.Ordinal);
    }
}
