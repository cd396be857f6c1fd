using System.Diagnostics;

namespace Mada.Cli.Training;

/// <summary>A child process of this program (a sweep's run, a data-parallel rank) and the log its output goes to, if any.</summary>
internal sealed class ChildProcess
{
    private TextWriter? writer;

    private ChildProcess(Process process, string? log, TextWriter? writer)
    {
        Process = process;
        Log = log;
        this.writer = writer;
    }

    public Process Process { get; }

    /// <summary>Where its output goes; null when it writes to this console.</summary>
    public string? Log { get; }

    /// <summary>Starts it; with a <paramref name="log"/>, <paramref name="info"/> must redirect its output, which goes there.</summary>
    public static ChildProcess Start(ProcessStartInfo info, string? log)
    {
        var writer = log is null ? null : TextWriter.Synchronized(new StreamWriter(log));
        var process = new Process { StartInfo = info };
        if (writer is not null)
        {
            process.OutputDataReceived += (_, line) => writer.WriteLine(line.Data);
            process.ErrorDataReceived += (_, line) => writer.WriteLine(line.Data);
        }
        process.Start();
        if (writer is not null)
        {
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }
        return new ChildProcess(process, log, writer);
    }

    /// <summary>After exit: waits for the last output to reach the log, and closes it.</summary>
    public void Finish()
    {
        Process.WaitForExit();
        writer?.Dispose();
        writer = null;
    }

    /// <summary>Kills it (and its children) if it still runs, then <see cref="Finish"/>.</summary>
    public void Stop()
    {
        try
        {
            Process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        Finish();
    }
}
