using Mada.Bindings.Generator;

// Usage: Mada.Bindings.Generator HEADER OUTPUT [--isystem DIR]... [--source-name NAME] [--check]
//   --source-name  the header path written into the banner (default: HEADER relative to the
//                  current directory), so running from the repo root gives the committed file
//   --check        compare with OUTPUT instead of writing it; exit 1 when they differ

const string Usage =
    "usage: Mada.Bindings.Generator HEADER OUTPUT [--isystem DIR]... [--source-name NAME] [--check]";

var positional = new List<string>();
var systemIncludes = new List<string>();
string? sourceName = null;
bool check = false;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--isystem" when i + 1 < args.Length:
            systemIncludes.Add(args[++i]);
            break;
        case "--source-name" when i + 1 < args.Length:
            sourceName = args[++i];
            break;
        case "--check":
            check = true;
            break;
        case "-h" or "--help":
            Console.WriteLine(Usage);
            return 0;
        default:
            positional.Add(args[i]);
            break;
    }
}
if (positional.Count != 2)
{
    Console.Error.WriteLine(Usage);
    return 2;
}

string header = positional[0];
string output = positional[1];
var options = new BindingOptions
{
    SourceName = sourceName ?? Path.GetRelativePath(Environment.CurrentDirectory, header).Replace('\\', '/'),
    SystemIncludeDirectories = systemIncludes,
};

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
