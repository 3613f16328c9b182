using SignNotebooks.Util;

namespace SignNotebooks.Pose.Holistic;

/// <summary>Real photographs that Debian packages ship, for the Holistic tests, benchmark and notebook 01.</summary>
public static class SampleImages
{
    /// <summary>
    /// NASA's portrait of astronaut Eileen Collins (public domain), 512×512, as shipped by Debian's python3-imageio
    /// (environment/setup.sh --test installs it) or python3-skimage.
    /// </summary>
    public static string Astronaut => Find("astronaut.png", "apt-get install -y python3-imageio (environment/setup.sh --test does it).",
        "/usr/lib/python3/dist-packages/imageio/resources/images/astronaut.png",
        "/usr/lib/python3/dist-packages/skimage/data/astronaut.png");

    /// <summary>
    /// A real open hand, palm up, fingers pointing right (640×480): OpenCV's `handSrc.jpg` (Apache-2.0), as Debian's
    /// opencv-doc ships it, committed in data/sample-images/ (its README says where it comes from).
    /// </summary>
    public static string Hand => Find("opencv-hand.jpg", "restore data/sample-images/ from the repository (git checkout -- data/sample-images).", Path.Combine(RepoPaths.Data, "sample-images", "opencv-hand.jpg"));

    /// <summary>The <paramref name="w"/>×<paramref name="h"/> window of <paramref name="f"/> at (<paramref name="x0"/>, <paramref name="y0"/>):
    /// a frame of a video that pans over a photograph.</summary>
    public static RgbFrame Window(RgbFrame f, int x0, int y0, int w, int h)
    {
        if (x0 < 0 || y0 < 0 || w <= 0 || h <= 0 || x0 + w > f.Width || y0 + h > f.Height)
            throw new ArgumentOutOfRangeException(nameof(x0), $"window {w}×{h} at ({x0}, {y0}) is not inside the {f.Width}×{f.Height} frame");
        var rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) Array.Copy(f.Rgb, ((y0 + y) * f.Width + x0) * 3, rgb, y * w * 3, w * 3);
        return new RgbFrame(w, h, rgb);
    }

    private static string Find(string what, string fix, params string[] candidates) =>
        candidates.FirstOrDefault(File.Exists)
        ?? throw new UserFacingException($"{what} not found (looked in {string.Join(", ", candidates)}). Fix: {fix}");
}
