using Mada.Bindings.Generator;

const string Usage = """
    usage: Mada.Bindings.Generator HEADER OUTPUT [options] [--check]
           Mada.Bindings.Generator --all [--check]
      --class NAME        the static class holding the imports (default NativeMethods)
      --library NAME      the library name in [LibraryImport] (default mada: libmada.so, mada.dll)
      --include DIR       search DIR for the header's own includes (-I); repeatable
      --isystem DIR       the compiler's headers (stddef.h, ...) instead of asking gcc; repeatable
      --source-name NAME  the header path written into the banner (default: HEADER relative to
                          the current directory), so running from the repo root gives the committed file
      --all               regenerate every committed bindings file (run from the repository root)
      --check             compare with OUTPUT instead of writing it; exit 1 when they differ
    """;

var positional = new List<string>();
var systemIncludes = new List<string>();
var includes = new List<string>();
string? sourceName = null;
string? className = null;
string? libraryName = null;
bool check = false;
bool all = false;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--isystem" when i + 1 < args.Length:
            systemIncludes.Add(args[++i]);
            break;
        case "--include" or "-I" when i + 1 < args.Length:
            includes.Add(args[++i]);
            break;
        case "--source-name" when i + 1 < args.Length:
            sourceName = args[++i];
            break;
        case "--class" when i + 1 < args.Length:
            className = args[++i];
            break;
        case "--library" when i + 1 < args.Length:
            libraryName = args[++i];
            break;
        case "--check":
            check = true;
            break;
        case "--all":
            all = true;
            break;
        case "-h" or "--help":
            Console.WriteLine(Usage);
            return 0;
        default:
            positional.Add(args[i]);
            break;
    }
}

if (all)
{
    if (positional.Count != 0 || includes.Count != 0 || sourceName is not null || className is not null || libraryName is not null)
    {
        Console.Error.WriteLine("--all takes no HEADER, OUTPUT or naming options: the list is CommittedBindings.cs.");
        Console.Error.WriteLine(Usage);
        return 2;
    }
    string root = Environment.CurrentDirectory;
    int worst = 0;
    foreach (var target in CommittedBindings.All)
    {
        var options = target.Options(root) with { SystemIncludeDirectories = systemIncludes };
        worst = Math.Max(worst, Run(Path.Combine(root, target.Header), target.Output, options, check));
    }
    return worst;
}

if (positional.Count != 2)
{
    Console.Error.WriteLine(Usage);
    return 2;
}

string header = positional[0];
var single = new BindingOptions
{
    SourceName = sourceName ?? Path.GetRelativePath(Environment.CurrentDirectory, header).Replace('\\', '/'),
    SystemIncludeDirectories = systemIncludes,
    IncludeDirectories = includes,
};
if (className is not null)
{
    single = single with { ClassName = className };
}
if (libraryName is not null)
{
    single = single with { LibraryName = libraryName };
}
return Run(header, positional[1], single, check);

// 0: written or up to date; 1: stale (--check); 2: the header could not be read.
static int Run(string header, string output, BindingOptions options, bool check)
{
    string generated;
    try
    {
        generated = BindingGenerator.Generate(header, options, Console.Error);
    }
    catch (GeneratorException e)
    {
        Console.Error.WriteLine($"error: {e.Message}");
        return 2;
    }

    string? existing = File.Exists(output) ? File.ReadAllText(output) : null;
    if (check)
    {
        if (existing == generated)
        {
            Console.WriteLine($"{output} is up to date.");
            return 0;
        }
        Console.Error.WriteLine($"{output} differs from a fresh generation from {header}; rerun without --check.");
        return 1;
    }

    // Leave an unchanged file alone so builds that include it stay incremental.
    if (existing != generated)
    {
        File.WriteAllText(output, generated);
        Console.WriteLine($"wrote {output}");
    }
    else
    {
        Console.WriteLine($"{output} is up to date.");
    }
    return 0;
}
