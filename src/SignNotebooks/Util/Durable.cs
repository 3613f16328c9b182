using System.Runtime.InteropServices;

namespace SignNotebooks.Util;

/// <summary>
/// fsync for files and folders: a rename is only durable once the folder holding it is flushed, and a file's bytes
/// only once the file is. A killed process loses nothing the kernel already has; a power cut loses what was not synced.
/// </summary>
public static class Durable
{
    /// <summary>Flushes a file's bytes to the disk.</summary>
    public static void SyncFile(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        fs.Flush(flushToDisk: true);
    }

    /// <summary>Flushes a folder's entries (renames, creations) to the disk; a no-op where folders cannot be opened (Windows).</summary>
    public static void SyncDirectory(string path)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        int fd = open(path, 0 /* O_RDONLY */);
        if (fd < 0) return;
        try { fsync(fd); }
        finally { close(fd); }
    }

    [DllImport("libc", SetLastError = true)] private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);
    [DllImport("libc", SetLastError = true)] private static extern int fsync(int fd);
    [DllImport("libc")] private static extern int close(int fd);
}
