namespace Mada.Cli.Metrics;

/// <summary>
/// The metrics of a run as it trains: metrics.csv grows row by row; metrics.json is rewritten
/// whole by <see cref="Save"/> (at each checkpoint and at the end). The CSV is the complete log:
/// a resumed run reads it back, keeping the rows up to its checkpoint.
/// </summary>
internal sealed class MetricsLog : IDisposable
{
    public const string CsvName = "metrics.csv";

    private readonly string directory;
    private readonly RunInfo info;
    private readonly List<MetricsRow> rows;
    private readonly MetricsCsvWriter csv;

    private MetricsLog(string directory, RunInfo info, List<MetricsRow> rows)
    {
        this.directory = directory;
        this.info = info;
        this.rows = rows;
        csv = new MetricsCsvWriter(Path.Combine(directory, CsvName));
        foreach (var row in rows)
        {
            csv.Write(row);
        }
    }

    /// <summary>A new log, replacing any in <paramref name="directory"/>.</summary>
    public static MetricsLog Start(string directory, RunInfo info) => new(directory, info, []);

    /// <summary>
    /// The log of a resumed run: the rows of the folder's metrics.csv up to <paramref name="lastStep"/>
    /// (rows after the checkpoint are dropped, as the steps will be taken again).
    /// </summary>
    public static MetricsLog Continue(string directory, RunInfo info, long lastStep)
    {
        string path = Path.Combine(directory, CsvName);
        var rows = File.Exists(path) ? MetricsCsv.Read(path) : [];
        rows.RemoveAll(row => row.Step > lastStep);
        return new MetricsLog(directory, info, rows);
    }

    public IReadOnlyList<MetricsRow> Rows => rows;

    /// <summary>Wall time of the run before this session: the last kept row's.</summary>
    public double ElapsedBefore => rows.Count > 0 ? rows[^1].ElapsedSeconds : 0;

    public void Append(in MetricsRow row)
    {
        rows.Add(row);
        csv.Write(row);
    }

    /// <summary>Writes metrics.json and returns what it holds.</summary>
    public RunRecord Save()
    {
        var record = new RunRecord(info, rows.ToArray());
        record.Save(directory);
        return record;
    }

    public void Dispose() => csv.Dispose();
}
