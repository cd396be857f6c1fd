namespace Mada.Native;

/// <summary>Option structs the libraries fill or check: presets, validation, the trainer's defaults.</summary>
internal static unsafe class NativeOptions
{
    public static mada_options Preset(mada_preset preset)
    {
        mada_options options;
        Ensure.Ok(KernelMethods.mada_options_preset(preset, &options));
        return options;
    }

    public static void Validate(mada_options options) => Ensure.Ok(KernelMethods.mada_options_validate(&options));

    public static mada_trainer_options TrainerDefaults()
    {
        mada_trainer_options options;
        Ensure.Ok(NativeMethods.mada_trainer_options_default(&options));
        return options;
    }
}
