using System.Text.Json;

namespace Mada.Tests.Vectors;

// One test vector file (tests/vectors/FORMAT.md, "mada-vectors/1"), as System.Text.Json reads it.
// Every key is required: a file that lacks one fails to load, and so fails its test.

public sealed record VectorFile(
    string Format, string Name, string Source, string Mode, VectorProblem Problem, VectorOptions Options,
    IReadOnlyList<VectorStep> Steps)
{
    public const string ExpectedFormat = "mada-vectors/1";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    public Mada.Mode OptimizerMode => Mode switch
    {
        "paper" => Mada.Mode.Paper,
        "reference" => Mada.Mode.Reference,
        _ => throw new InvalidDataException($"Unknown mode '{Mode}'."),
    };

    /// <summary>Reads and checks a file; any problem is an exception naming the file.</summary>
    public static VectorFile Load(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            var file = JsonSerializer.Deserialize<VectorFile>(stream, Json)
                ?? throw new InvalidDataException("The file holds JSON null.");
            file.CheckConsistency();
            return file;
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"Vector file {path} cannot be used: {e.Message}", e);
        }
    }

    private void CheckConsistency()
    {
        Require(Format == ExpectedFormat, $"format is '{Format}', expected '{ExpectedFormat}'");
        Require(Problem.Kind == "quadratic", $"problem.kind is '{Problem.Kind}', expected 'quadratic'");
        _ = OptimizerMode;
        Require(Problem.Tensors.Count > 0, "problem.tensors is empty");
        Require(Steps.Count > 0, "steps is empty");
        Require(Problem.Noise.Count == Steps.Count, $"{Problem.Noise.Count} noise records for {Steps.Count} steps");
        foreach (var tensor in Problem.Tensors)
        {
            long count = tensor.Shape.Aggregate(1L, (product, dimension) => product * dimension);
            Require(tensor.X0.Length == count && tensor.A.Length == count && tensor.B.Length == count,
                $"tensor {tensor.Name}: x0, a, b must each hold prod(shape) = {count} values");
        }
        for (int i = 0; i < Steps.Count; i++)
        {
            Require(Steps[i].T == i + 1, $"steps[{i}].t is {Steps[i].T}, expected {i + 1}");
            Require(Steps[i].X.Count == Problem.Tensors.Count, $"steps[{i}].x has {Steps[i].X.Count} tensors");
            Require(Problem.Noise[i].Count == Problem.Tensors.Count, $"noise[{i}] has {Problem.Noise[i].Count} tensors");
            for (int j = 0; j < Problem.Tensors.Count; j++)
            {
                int count = Problem.Tensors[j].X0.Length;
                Require(Steps[i].X[j].Length == count, $"steps[{i}].x[{j}] has {Steps[i].X[j].Length} values, expected {count}");
                Require(Problem.Noise[i][j].Length == count, $"noise[{i}][{j}] has {Problem.Noise[i][j].Length} values, expected {count}");
            }
        }
    }

    private static void Require(bool condition, string problem)
    {
        if (!condition)
        {
            throw new InvalidDataException(problem);
        }
    }
}

public sealed record VectorProblem(string Kind, IReadOnlyList<VectorTensor> Tensors, IReadOnlyList<IReadOnlyList<float[]>> Noise);

/// <summary>One parameter tensor; x0, a and b are float32 values written exactly.</summary>
public sealed record VectorTensor(string Name, long[] Shape, double WeightDecay, float[] X0, float[] A, float[] B);

public sealed record VectorOptions(
    double Eps, double GradClip, double HypergradClip, double LionBeta1, double LionBeta2,
    NamedCoefficients Q0, NamedCoefficients HyperLr, NamedBounds Bounds);

public sealed record VectorStep(
    int T, double Lr, double Loss, double GradNorm, NamedCoefficients Hypergrad, NamedCoefficients Q,
    IReadOnlyList<double[]> X);

/// <summary>A JSON object with one number per coefficient.</summary>
public sealed record NamedCoefficients(double Beta1, double Beta2, double Beta3, double Rho, double C, double Gamma)
{
    public Coefficients ToCoefficients() => new(Beta1, Beta2, Beta3, Rho, C, Gamma);
}

/// <summary>A JSON object with one [lo, hi] pair per coefficient.</summary>
public sealed record NamedBounds(double[] Beta1, double[] Beta2, double[] Beta3, double[] Rho, double[] C, double[] Gamma)
{
    public Coefficients Lower => new(Bound(Beta1, 0), Bound(Beta2, 0), Bound(Beta3, 0), Bound(Rho, 0), Bound(C, 0), Bound(Gamma, 0));

    public Coefficients Upper => new(Bound(Beta1, 1), Bound(Beta2, 1), Bound(Beta3, 1), Bound(Rho, 1), Bound(C, 1), Bound(Gamma, 1));

    private static double Bound(double[] pair, int index) =>
        pair.Length == 2 ? pair[index] : throw new InvalidDataException($"A bound holds {pair.Length} values, expected [lo, hi].");
}
