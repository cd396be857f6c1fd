namespace Mada.Benchmarks;

/// <summary>
/// The GPT-2-like parameter list of bench/native/parameter_list.h, shape for shape: an embedding
/// 8192 x w and 1024 x w, then blocks of LayerNorm vectors, attention and MLP matrices and their
/// biases until about <c>total</c> elements (w = 128 up to 2M, 384 up to 20M, 768 above).
/// Values: N(0, 0.02^2) parameters and N(0, 0.01^2) gradients from a fixed seed (not the same
/// numbers as torch::randn, the same distribution).
/// </summary>
internal static class ParameterList
{
    public static IReadOnlyList<long[]> Shapes(long total)
    {
        long w = total <= 2_000_000 ? 128 : total <= 20_000_000 ? 384 : 768;
        var shapes = new List<long[]> { new[] { 8192, w }, new[] { 1024, w } };
        long count = 8192 * w + 1024 * w;
        long[][] block =
        [
            [w], [w], [3 * w, w], [3 * w], [w, w], [w],
            [w], [w], [4 * w, w], [4 * w], [w, 4 * w], [w],
        ];
        while (count < total)
        {
            foreach (long[] s in block)
            {
                shapes.Add(s);
                count += Elements(s);
            }
        }
        return shapes;
    }

    public static long Elements(long[] shape)
    {
        long n = 1;
        foreach (long d in shape)
        {
            n *= d;
        }
        return n;
    }

    /// <summary>The number of elements the list for <paramref name="total"/> really holds.</summary>
    public static long ElementCount(long total) => Shapes(total).Sum(Elements);

    /// <summary>One tensor per shape, each value drawn from N(0, scale^2).</summary>
    public static Tensor[] Create(IReadOnlyList<long[]> shapes, double scale, int seed)
    {
        var random = new Random(seed);
        var tensors = new Tensor[shapes.Count];
        try
        {
            for (int i = 0; i < shapes.Count; i++)
            {
                var values = new float[checked((int)Elements(shapes[i]))];
                for (int j = 0; j < values.Length; j++)
                {
                    values[j] = (float)(scale * Normal(random));
                }
                tensors[i] = new Tensor(values, shapes[i]);
            }
            return tensors;
        }
        catch
        {
            Dispose(tensors);
            throw;
        }
    }

    public static void Dispose(Tensor?[]? tensors)
    {
        if (tensors is null)
        {
            return;
        }
        foreach (var t in tensors)
        {
            t?.Dispose();
        }
    }

    // Box-Muller; one of the pair is enough here.
    private static double Normal(Random random)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
