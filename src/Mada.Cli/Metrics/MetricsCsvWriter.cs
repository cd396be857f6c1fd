using System.Globalization;
using System.Text;

namespace Mada.Cli.Metrics;

/// <summary>
/// Appends rows to metrics.csv as they come, flushed at once so the file can be followed live.
/// Numbers are formatted into one reused buffer: the training loop allocates nothing here.
/// </summary>
internal sealed class MetricsCsvWriter : IDisposable
{
    private readonly StreamWriter writer;
    private readonly char[] buffer = new char[64];

    /// <summary>A new file holding only the header.</summary>
    public MetricsCsvWriter(string path)
    {
        writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        writer.Write(MetricsCsv.Header);
        writer.Write('\n');
        writer.Flush();
    }

    public void Write(in MetricsRow row)
    {
        Field(row.Step);
        Field(row.Loss);
        Field(row.Lr);
        Field(row.GradNorm);
        var q = row.Coefficients;
        Field(q?.Beta1);
        Field(q?.Beta2);
        Field(q?.Beta3);
        Field(q?.Rho);
        Field(q?.C);
        Field(q?.Gamma);
        Field(row.EvalLoss);
        Field(row.EvalAccuracy);
        Field(row.ElapsedSeconds, last: true);
        writer.Flush();
    }

    public void Dispose() => writer.Dispose();

    private void Field<T>(T? value, bool last = false)
        where T : struct, ISpanFormattable
    {
        if (value is { } present && present.TryFormat(buffer, out int length, default, CultureInfo.InvariantCulture))
        {
            writer.Write(buffer, 0, length);
        }
        writer.Write(last ? '\n' : ',');
    }

    private void Field<T>(T value, bool last = false)
        where T : struct, ISpanFormattable => Field((T?)value, last);
}
