using Mada.Cli.Training;

namespace Mada.Cli.Commands;

/// <summary>The names the command line accepts, which are also the names used in run folders and tables.</summary>
internal static class Choices
{
    public static Choice<OptimizerKind> Optimizer { get; } = new(
        "optimizer",
        ("mada", OptimizerKind.Mada),
        ("hyperadam", OptimizerKind.HyperAdam),
        ("adam", OptimizerKind.Adam),
        ("adamw", OptimizerKind.AdamW),
        ("avgrad", OptimizerKind.AVGrad),
        ("yogi", OptimizerKind.Yogi),
        ("adan", OptimizerKind.Adan),
        ("lion", OptimizerKind.Lion),
        ("amsgrad", OptimizerKind.AmsGrad),
        ("sgd", OptimizerKind.Sgd));

    public static Choice<ModelKind> Model { get; } = new(
        "model",
        ("mlp", ModelKind.Mlp),
        ("cnn", ModelKind.Cnn),
        ("gpt", ModelKind.Gpt));

    public static Choice<Mode> Mode { get; } = new(
        "mode",
        ("paper", global::Mada.Mode.Paper),
        ("reference", global::Mada.Mode.Reference));

    public static Choice<Device> Device { get; } = new(
        "device",
        ("cpu", Training.Device.Cpu),
        ("cuda", Training.Device.Cuda));
}
