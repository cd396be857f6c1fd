using System.Collections;
using Mada.Native;

namespace Mada;

/// <summary>
/// The parameter groups of a <see cref="MadaOptimizer"/> or a <see cref="MadaEngine"/>, in the
/// order they were added; a scheduler sets each group's <see cref="ParamGroup.LearningRate"/>
/// (and <see cref="ParamGroup.WeightDecay"/>) between steps:
/// <code>foreach (var group in optimizer.ParamGroups) group.LearningRate = schedule(step);</code>
/// Reads and writes go to the native optimizer, so they always agree with what the next step uses.
/// </summary>
public sealed class ParamGroupCollection : IReadOnlyList<ParamGroup>
{
    private readonly object owner;
    private readonly IParamGroupCalls calls;
    private readonly List<ParamGroup> groups = [];

    internal ParamGroupCollection(object owner, IParamGroupCalls calls)
    {
        this.owner = owner;
        this.calls = calls;
    }

    /// <summary>Number of groups added so far.</summary>
    public int Count => Calls.GroupCount;

    /// <summary>The group added <paramref name="index"/>-th (from 0).</summary>
    /// <exception cref="ArgumentOutOfRangeException">There is no such group.</exception>
    public ParamGroup this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            // One object per group, made when first asked for, so a scheduler's loop allocates nothing.
            while (groups.Count <= index)
            {
                groups.Add(new ParamGroup(this, groups.Count));
            }
            return groups[index];
        }
    }

    /// <summary>The groups, in the order they were added.</summary>
    public IEnumerator<ParamGroup> GetEnumerator()
    {
        int count = Count;
        for (int i = 0; i < count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The native calls, once the owner is known not to be disposed.</summary>
    internal IParamGroupCalls Calls
    {
        get
        {
            ObjectDisposedException.ThrowIf(calls.IsDisposed, owner);
            return calls;
        }
    }
}
