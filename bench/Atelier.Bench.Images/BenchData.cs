using Atelier.Fingerprints.Image;

namespace Atelier.Bench.Images;

internal static class BenchData
{
    /// <summary>../shared/data/images/dev beside the repository (ATELIER_SHARED overrides ../shared).</summary>
    public static string DevFolder
    {
        get
        {
            var shared = Environment.GetEnvironmentVariable("ATELIER_SHARED");
            if (string.IsNullOrEmpty(shared))
            {
                var dir = new DirectoryInfo(AppContext.BaseDirectory);
                while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "global.json")))
                {
                    dir = dir.Parent;
                }

                shared = Path.Combine(dir?.FullName ?? ".", "..", "shared");
            }

            return Path.GetFullPath(Path.Combine(shared, "data", "images", "dev"));
        }
    }

    /// <summary>
    /// N random hashes, and queries of which half are near (5–31 bits from) a stored hash and half random:
    /// every query does the full work of probing, and half of them return a hit.
    /// </summary>
    public static (PdqHash[] Hashes, PdqHash[] Queries) RandomHashes(int n, int queries, int seed)
    {
        var rng = new Random(seed);
        var hashes = new PdqHash[n];
        for (var i = 0; i < n; i++)
        {
            hashes[i] = new PdqHash((ulong)rng.NextInt64(), (ulong)rng.NextInt64(), (ulong)rng.NextInt64(), (ulong)rng.NextInt64());
        }

        var q = new PdqHash[queries];
        for (var i = 0; i < queries; i++)
        {
            if (i % 2 == 0)
            {
                var h = hashes[rng.Next(n)];
                ulong w0 = h.W0, w1 = h.W1, w2 = h.W2, w3 = h.W3;
                var flips = rng.Next(5, 32);
                foreach (var b in Enumerable.Range(0, 256).OrderBy(_ => rng.Next()).Take(flips))
                {
                    switch (b >> 6)
                    {
                        case 0: w0 ^= 1UL << (b & 63); break;
                        case 1: w1 ^= 1UL << (b & 63); break;
                        case 2: w2 ^= 1UL << (b & 63); break;
                        default: w3 ^= 1UL << (b & 63); break;
                    }
                }

                q[i] = new PdqHash(w0, w1, w2, w3);
            }
            else
            {
                q[i] = new PdqHash((ulong)rng.NextInt64(), (ulong)rng.NextInt64(), (ulong)rng.NextInt64(), (ulong)rng.NextInt64());
            }
        }

        return (hashes, q);
    }
}
