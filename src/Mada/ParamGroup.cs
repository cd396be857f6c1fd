namespace Mada;

/// <summary>
/// One parameter group of a <see cref="MadaOptimizer"/> or a <see cref="MadaEngine"/> (see
/// <see cref="ParamGroupCollection"/>): its learning rate and decoupled weight decay, which a
/// scheduler may change between steps. A new value is used from the next step on.
/// </summary>
public sealed class ParamGroup
{
    private readonly ParamGroupCollection collection;

    internal ParamGroup(ParamGroupCollection collection, int index)
    {
        this.collection = collection;
        Index = index;
    }

    /// <summary>The group's position among the groups, in the order they were added.</summary>
    public int Index { get; }

    /// <summary>The learning rate.</summary>
    /// <exception cref="ArgumentException">The library refuses the value (negative or not finite); the old one stays.</exception>
    public double LearningRate
    {
        get => collection.Calls.GetLr(Index);
        set => collection.Calls.SetLr(Index, value);
    }

    /// <summary>The decoupled weight decay.</summary>
    /// <exception cref="ArgumentException">The library refuses the value; the old one stays.</exception>
    public double WeightDecay
    {
        get => collection.Calls.GetWeightDecay(Index);
        set => collection.Calls.SetWeightDecay(Index, value);
    }
}
