namespace Mada.Native;

/// <summary>
/// One element of a C array of tensors (<c>mada_tensor* const*</c>), as the generated imports
/// take it: LibraryImport cannot marshal an array of SafeHandles, and a typed element still
/// keeps any other handle out. <see cref="TensorListLease"/> fills them from referenced handles.
/// </summary>
internal readonly record struct TensorPointer(nint Value);
