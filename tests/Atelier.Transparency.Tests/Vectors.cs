using System.Text.Json;
using Atelier.Testing;

namespace Atelier.Transparency.Tests;

/// <summary>The golden vector files, in one place (../shared/vectors; see its README for sources).</summary>
internal static class Vectors
{
    public const string MerkleInclusion = "vectors/transparency-dev-merkle/testdata/inclusion";
    public const string MerkleConsistency = "vectors/transparency-dev-merkle/testdata/consistency";
    public const string ReferenceTree = "vectors/transparency-dev-merkle/reference_tree.json";
    public const string GoNote = "vectors/golang-mod-sumdb/note_vectors.json";
    public const string GoTlog = "vectors/golang-mod-sumdb/tlog_vectors.json";
    public const string C2spExamples = "vectors/c2sp/spec_examples.json";

    public static JsonElement ReadJson(string relative)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(SharedData.RequireDirectory(relative)));
        return document.RootElement.Clone();
    }

    public static IReadOnlyList<(string Name, JsonElement Json)> ReadAll(string relativeDirectory)
    {
        var root = SharedData.RequireDirectory(relativeDirectory);
        return [.. Directory.EnumerateFiles(root, "*.json", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(path =>
            {
                using var document = JsonDocument.Parse(File.ReadAllBytes(path));
                return (Path.GetRelativePath(root, path).Replace('\\', '/'), document.RootElement.Clone());
            })];
    }
}
