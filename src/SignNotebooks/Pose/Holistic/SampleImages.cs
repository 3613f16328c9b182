using SignNotebooks.Util;

namespace SignNotebooks.Pose.Holistic;

/// <summary>Real photographs that Debian packages ship, for the Holistic tests, benchmark and notebook 01.</summary>
public static class SampleImages
{
    /// <summary>
    /// NASA's portrait of astronaut Eileen Collins (public domain), 512×512, as shipped by Debian's python3-imageio
    /// (environment/setup.sh --test installs it) or python3-skimage.
    /// </summary>
    public static string Astronaut => Find("astronaut.png",
        "/usr/lib/python3/dist-packages/imageio/resources/images/astronaut.png",
        "/usr/lib/python3/dist-packages/skimage/data/astronaut.png");

    private static string Find(string what, params string[] candidates) =>
        candidates.FirstOrDefault(File.Exists)
        ?? throw new UserFacingException($"{what} not found (looked in {string.Join(", ", candidates)}). Fix: apt-get install -y python3-imageio (environment/setup.sh --test does it).");
}
