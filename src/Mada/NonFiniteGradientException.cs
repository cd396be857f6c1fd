namespace Mada;

/// <summary>
/// A gradient held NaN or infinity and the policy is <see cref="NonFinitePolicy.Error"/>. The step
/// was not taken: parameters, coefficients and state are as before the call.
/// </summary>
public sealed class NonFiniteGradientException(string message) : MadaException(MadaErrorCode.NonFinite, message);
