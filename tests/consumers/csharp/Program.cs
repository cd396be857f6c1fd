using Mada;

// Fit w to a target under a noisy gradient with MADA (libmada, on Debian's libtorch), one step at
// a time; the exit code says whether the squared error fell at least tenfold.
float[] target = [1f, -2f, 0.5f];
using var w = new Tensor([0f, 0f, 0f]);
using var optimizer = new MadaOptimizer(MadaOptions.Mada with { Lr = 0.05 }, [w]);
var random = new Random(0);
var values = new float[target.Length];
var gradient = new float[target.Length];

double SquaredError()
{
    w.Read(values);
    return values.Zip(target, (v, t) => (double)(v - t) * (v - t)).Sum();
}

double first = SquaredError();
for (int step = 0; step < 200; step++)
{
    w.Read(values);
    for (int i = 0; i < values.Length; i++)
    {
        gradient[i] = values[i] - target[i] + 0.01f * random.NextSingle();
    }
    using var g = new Tensor(gradient);
    optimizer.Step([g]);
}
double last = SquaredError();

Console.WriteLine($"squared error {first:F4} -> {last:F6}; coefficients {optimizer.Coefficients}");
if (!(last < first / 10))
{
    Console.Error.WriteLine("error: MADA did not fit the target");
    return 1;
}
return 0;
