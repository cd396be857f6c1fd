using System.Diagnostics;
using System.Text;

namespace Mada.Cli.Corpus;

/// <summary>
/// The King James Bible as one UTF-8 text, the GPT's default corpus. Nothing is downloaded: the
/// text comes from Debian's bible-kjv package (<c>/usr/bin/bible</c>) and is cached, without the
/// verse references, at $XDG_CACHE_HOME/mada/kjv.txt (~/.cache/mada/kjv.txt).
/// </summary>
internal sealed class KingJamesBible(string program, string cacheDirectory)
{
    /// <summary>Every verse, Genesis to Revelation, in the form <c>bible -f</c> takes.</summary>
    private const string WholeText = "Gen1:1-Rev22:21";

    public static KingJamesBible Default { get; } = new("/usr/bin/bible", DefaultCacheDirectory());

    public string CachePath => Path.Combine(cacheDirectory, "kjv.txt");

    /// <summary>The cached corpus, made first if missing.</summary>
    /// <exception cref="CliException">The bible program is missing or failed.</exception>
    public string EnsureCached()
    {
        if (File.Exists(CachePath))
        {
            return CachePath;
        }
        if (!File.Exists(program))
        {
            throw new CliException(
                $"The GPT's default corpus, the King James Bible, comes from {program} (Debian's bible-kjv package), " +
                "which is not installed: ./build.sh setup installs it. Or give a UTF-8 text file with --data.");
        }

        string text = StripReferences(ReadWholeText());
        Directory.CreateDirectory(cacheDirectory);
        // Atomically: a run stopped halfway never leaves a truncated cache behind.
        AtomicFile.WriteText(CachePath, text);
        return CachePath;
    }

    /// <summary>"Ge1:1 In the beginning ..." becomes "In the beginning ...", line by line.</summary>
    public static string StripReferences(string verses)
    {
        var text = new StringBuilder(verses.Length);
        foreach (var line in verses.AsSpan().EnumerateLines())
        {
            if (line.IsWhiteSpace())
            {
                continue;
            }
            int space = line.IndexOf(' ');
            text.Append(space >= 0 ? line[(space + 1)..] : line).Append('\n');
        }
        return text.ToString();
    }

    private string ReadWholeText()
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add("-f");
        start.ArgumentList.Add(WholeText);
        using var process = Process.Start(start) ?? throw new CliException($"Could not start {program}.");
        var errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0 || output.Length == 0)
        {
            throw new CliException($"{program} -f {WholeText} failed (exit code {process.ExitCode}): {errors.Result.Trim()}");
        }
        return output;
    }

    private static string DefaultCacheDirectory()
    {
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string root = !string.IsNullOrEmpty(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(root, "mada");
    }
}
