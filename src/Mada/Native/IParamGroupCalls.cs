namespace Mada.Native;

/// <summary>
/// The per-group settings <see cref="MadaOptimizer"/> (libmada) and <see cref="MadaEngine"/>
/// (libmada_kernels) both have, each behind its own native functions: what one
/// <see cref="ParamGroupCollection"/> type needs to serve both. Implemented by their handles;
/// a group index is already checked against <see cref="GroupCount"/>.
/// </summary>
internal interface IParamGroupCalls
{
    bool IsDisposed { get; }

    int GroupCount { get; }

    double GetLr(int group);

    void SetLr(int group, double lr);

    double GetWeightDecay(int group);

    void SetWeightDecay(int group, double weightDecay);
}
