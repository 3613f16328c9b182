using System.Globalization;
using SignNotebooks.Util;

namespace SignNotebooks.Pose.Holistic;

/// <summary>
/// MediaPipe's canonical face model and its face-mesh contour index sets, as committed in
/// <c>data/mediapipe-face-mesh/</c> (Apache-2.0, from google/mediapipe at 9d88077; see the README there): the 468
/// vertices of <c>canonical_face_model.obj</c> (metric, frontal, x towards the person's left, y up, z towards the
/// viewer) and the edge lists of <c>face_mesh_connections.py</c> written as <c>face_mesh_contours.txt</c>. They are the
/// facts <see cref="Face68Derivation"/> derives the face-mesh → 68-point table from.
/// </summary>
public sealed record CanonicalFaceModel(IReadOnlyList<(double X, double Y, double Z)> Vertices,
                                        IReadOnlyDictionary<string, (int A, int B)[]> Contours)
{
    public const string ObjFile = "canonical_face_model.obj", ContoursFile = "face_mesh_contours.txt";

    /// <summary>The contour sets the derivation reads, by their MediaPipe names.</summary>
    public static readonly string[] ContourNames =
    [
        "FACEMESH_LIPS", "FACEMESH_LEFT_EYE", "FACEMESH_RIGHT_EYE", "FACEMESH_LEFT_EYEBROW", "FACEMESH_RIGHT_EYEBROW",
        "FACEMESH_FACE_OVAL", "FACEMESH_NOSE",
    ];

    /// <summary>The committed copy: <c>data/mediapipe-face-mesh/</c> under the repository root.</summary>
    public static string DefaultFolder => Path.Combine(RepoPaths.Data, "mediapipe-face-mesh");

    /// <summary>Reads the two files of <paramref name="folder"/>; an error names the file, the line and the fix.</summary>
    public static CanonicalFaceModel Load(string? folder = null)
    {
        folder ??= DefaultFolder;
        string obj = Path.Combine(folder, ObjFile), contours = Path.Combine(folder, ContoursFile);
        foreach (var f in new[] { obj, contours })
            if (!File.Exists(f))
                throw new UserFacingException($"{f} is missing. Fix: restore data/mediapipe-face-mesh/ from the repository (git checkout -- data/mediapipe-face-mesh).");

        var vertices = new List<(double, double, double)>();
        int lineNo = 0;
        foreach (var line in File.ReadLines(obj))
        {
            lineNo++;
            if (!line.StartsWith("v ", StringComparison.Ordinal)) continue;   // vt (texture) and f (faces) are not needed
            var p = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (p.Length < 4 || !TryNumber(p[1], out var x) || !TryNumber(p[2], out var y) || !TryNumber(p[3], out var z))
                throw new UserFacingException($"{obj} line {lineNo}: '{line}' is not a vertex 'v x y z'. Fix: restore the file from the repository.");
            vertices.Add((x, y, z));
        }
        if (vertices.Count != HolisticResult.FaceCount)
            throw new UserFacingException($"{obj} has {vertices.Count} vertices, the face mesh has {HolisticResult.FaceCount}. Fix: restore the file from the repository.");

        var sets = new Dictionary<string, (int, int)[]>();
        lineNo = 0;
        foreach (var line in File.ReadLines(contours))
        {
            lineNo++;
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var p = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var edges = new (int, int)[p.Length - 1];
            for (int i = 1; i < p.Length; i++)
            {
                var ab = p[i].Split('-');
                if (ab.Length != 2 || !int.TryParse(ab[0], CultureInfo.InvariantCulture, out var a) || !int.TryParse(ab[1], CultureInfo.InvariantCulture, out var b)
                    || a < 0 || b < 0 || a >= vertices.Count || b >= vertices.Count)
                    throw new UserFacingException($"{contours} line {lineNo} ({p[0]}): '{p[i]}' is not an edge 'a-b' of two vertices in 0..{vertices.Count - 1}. Fix: restore the file from the repository.");
                edges[i - 1] = (a, b);
            }
            sets[p[0]] = edges;
        }
        foreach (var name in ContourNames)
            if (!sets.ContainsKey(name))
                throw new UserFacingException($"{contours} has no line for {name}. Fix: restore the file from the repository.");
        return new CanonicalFaceModel(vertices, sets);
    }

    private static bool TryNumber(string s, out double v) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out v);
}
