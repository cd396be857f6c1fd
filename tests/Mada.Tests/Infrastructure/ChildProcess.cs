namespace Mada.Tests.Infrastructure;

/// <summary>
/// Runs a probe of this assembly in a fresh process (dotnet Mada.Tests.dll PROBE), for what the
/// test process cannot show any more once another test loaded something: which native libraries
/// a code path maps. The probes are in <see cref="Probes"/>; their output is the test's evidence.
/// </summary>
internal static class ChildProcess
{
    public static int Main(string[] args) =>
        args is [var name] && Probes.All.TryGetValue(name, out var probe) ? probe() : 2;

    /// <summary>Runs probe <paramref name="name"/> and returns its exit code and standard output (then error).</summary>
    public static (int ExitCode, string Output) Run(string name)
    {
        var (exitCode, output, error) = DotnetProcess.Run(typeof(ChildProcess).Assembly.Location, [name]);
        return (exitCode, output + error);
    }
}

/// <summary>Code run by <see cref="ChildProcess"/> in a process of its own; each prints the libraries mapped afterwards.</summary>
internal static class Probes
{
    public const string KernelsOnly = "kernels-only";
    public const string WithLibmada = "with-libmada";

    public static IReadOnlyDictionary<string, Func<int>> All { get; } = new Dictionary<string, Func<int>>
    {
        [KernelsOnly] = () => Probe(withLibmada: false),
        [WithLibmada] = () => Probe(withLibmada: true),
    };

    /// <summary>
    /// Everything the kernels offer through the façade: presets, validation, an engine stepping,
    /// its getters, a checkpoint and a failed call (the error path reads mada_last_error);
    /// then, for the control, one libmada call. Prints each mapped shared object, one per line.
    /// </summary>
    private static int Probe(bool withLibmada)
    {
        var options = MadaOptions.Mada with { Lr = 0.01 };
        options.Validate();
        float[] parameter = [1f, 2f, 3f];
        using (var engine = new MadaEngine(options))
        {
            engine.AddGroup([3]);
            engine.Step(parameter, [0.5f, -0.5f, 0.25f]);
            _ = (engine.Coefficients, engine.StepCount, engine.GradNorm);
            engine.LoadFromBytes(engine.SaveToBytes());
            try
            {
                engine.ParamGroups[0].LearningRate = -1;
                return 3;
            }
            catch (ArgumentException)
            {
            }
        }
        if (withLibmada)
        {
            using var tensor = new Tensor(parameter);
        }

        foreach (string library in File.ReadLines("/proc/self/maps")
                     .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                     .Where(fields => fields.Length >= 6 && fields[5].StartsWith('/'))
                     .Select(fields => fields[5])
                     .Distinct())
        {
            Console.WriteLine(library);
        }
        return 0;
    }
}
