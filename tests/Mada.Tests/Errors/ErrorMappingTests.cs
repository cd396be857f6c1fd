using Mada.Native;

namespace Mada.Tests.Errors;

/// <summary>Each native status becomes the documented exception type, keeping the native message.</summary>
public sealed class ErrorMappingTests
{
    private const string NativeMessage = "native says why";

    [Theory]
    [InlineData((int)mada_status.MADA_ERROR_INVALID_ARGUMENT, typeof(ArgumentException))]
    [InlineData((int)mada_status.MADA_ERROR_NON_FINITE, typeof(NonFiniteGradientException))]
    [InlineData((int)mada_status.MADA_ERROR_BUFFER_TOO_SMALL, typeof(MadaException))]
    [InlineData((int)mada_status.MADA_ERROR_CHECKPOINT, typeof(CheckpointException))]
    [InlineData((int)mada_status.MADA_ERROR_IO, typeof(IOException))]
    [InlineData((int)mada_status.MADA_ERROR_UNSUPPORTED, typeof(NotSupportedException))]
    [InlineData((int)mada_status.MADA_ERROR_INTERNAL, typeof(MadaException))]
    [InlineData((int)mada_status.MADA_ERROR_DISTRIBUTED, typeof(DistributedTrainingException))]
    [InlineData((int)mada_status.MADA_ERROR_OUT_OF_MEMORY, typeof(InsufficientMemoryException))]
    public void StatusMapsToItsExceptionType(int status, Type expected)
    {
        var exception = Ensure.ToException((mada_status)status, NativeMessage, outOfRangeParameter: null);

        Assert.IsType(expected, exception);
        Assert.Equal(NativeMessage, exception.Message);
        Assert.Equal((uint)status, exception.Data[Ensure.StatusKey]);
    }

    [Theory]
    [InlineData((int)mada_status.MADA_ERROR_NON_FINITE, MadaErrorCode.NonFinite)]
    [InlineData((int)mada_status.MADA_ERROR_CHECKPOINT, MadaErrorCode.Checkpoint)]
    [InlineData((int)mada_status.MADA_ERROR_INTERNAL, MadaErrorCode.Internal)]
    [InlineData((int)mada_status.MADA_ERROR_DISTRIBUTED, MadaErrorCode.Distributed)]
    public void MadaExceptionsCarryTheCode(int status, MadaErrorCode code)
    {
        var exception = Assert.IsAssignableFrom<MadaException>(Ensure.ToException((mada_status)status, NativeMessage, null));

        Assert.Equal(code, exception.ErrorCode);
    }

    [Fact]
    public void UnknownStatusBecomesMadaExceptionWithCodeAndMessage()
    {
        var exception = Assert.IsType<MadaException>(Ensure.ToException((mada_status)42, NativeMessage, null));

        Assert.Equal((MadaErrorCode)42, exception.ErrorCode);
        Assert.Contains(NativeMessage, exception.Message, StringComparison.Ordinal);
        Assert.Contains("42", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidIndexBecomesArgumentOutOfRangeNamingTheParameter()
    {
        var exception = Assert.IsType<ArgumentOutOfRangeException>(
            Ensure.ToException(mada_status.MADA_ERROR_INVALID_ARGUMENT, NativeMessage, "group"));

        Assert.Equal("group", exception.ParamName);
        Assert.StartsWith(NativeMessage, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingNativeMessageStillGivesAMessageWithTheStatus()
    {
        var exception = Ensure.ToException(mada_status.MADA_ERROR_INTERNAL, string.Empty, null);

        Assert.Contains("status 7", exception.Message, StringComparison.Ordinal);
    }
}
