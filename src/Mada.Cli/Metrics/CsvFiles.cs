using System.Globalization;
using System.Text;

namespace Mada.Cli.Metrics;

/// <summary>
/// How this program's summary CSV files (summary.csv, sweep.csv) are written: a header, one row
/// per record, numbers in invariant culture and round-trip precision, null as an empty field,
/// atomically (<see cref="AtomicFile"/>).
/// </summary>
internal static class CsvFiles
{
    public static void Write(string path, string header, IEnumerable<object?[]> rows)
    {
        var text = new StringBuilder(header).Append('\n');
        foreach (object?[] fields in rows)
        {
            text.AppendJoin(',', fields.Select(field => Convert.ToString(field, CultureInfo.InvariantCulture))).Append('\n');
        }
        AtomicFile.WriteText(path, text.ToString());
    }
}
