namespace SignNotebooks.Util;

/// <summary>
/// An <see cref="IProgress{T}"/> that calls its callback at once, on the reporting thread. (The BCL's
/// <see cref="Progress{T}"/> posts to the thread pool, so its lines could arrive out of order or after the job.)
/// </summary>
public sealed class CallbackProgress<T>(Action<T> callback) : IProgress<T>
{
    public void Report(T value) => callback(value);
}
