using System.Text;

namespace Mada.Cli;

/// <summary>
/// Files this program writes whole (metrics.json, the summaries, the corpus cache): written beside
/// the target, then renamed over it, so a reader or a run stopped halfway never sees half a file.
/// Text is UTF-8 without a byte-order mark.
/// </summary>
internal static class AtomicFile
{
    public static Encoding Utf8 { get; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    public static void Write(string path, Action<Stream> write)
    {
        string partial = $"{path}.{Environment.ProcessId}.tmp";
        using (var stream = File.Create(partial))
        {
            write(stream);
        }
        File.Move(partial, path, overwrite: true);
    }

    public static void WriteText(string path, string text) => Write(path, stream => stream.Write(Utf8.GetBytes(text)));
}
