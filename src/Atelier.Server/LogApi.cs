using Atelier.Catalog;
using Atelier.Transparency.Receipts;

namespace Atelier.Server;

/// <summary>Consistency proof between two sizes of the log.</summary>
public sealed record ConsistencyProofResponse(long Old, long New, IReadOnlyList<string> Proof);

/// <summary>
/// The public, read-only transparency log in the C2SP tlog-tiles layout (/log/checkpoint, /log/tile/…),
/// open to anyone with no key, plus consistency proofs and each work's receipt (the latter needs a key).
/// </summary>
public static class LogApi
{
    public static IEndpointRouteBuilder MapLogApi(this IEndpointRouteBuilder app)
    {
        var log = app.MapGroup("/log").WithTags("Transparency log").AllowAnonymous();

        log.MapGet("/checkpoint", (HttpContext http, AtelierRuntime rt, CancellationToken ct) => ServeAsync(http, rt, "checkpoint", ct))
            .WithSummary("The latest signed checkpoint (a C2SP signed note).");
        log.MapGet("/tile/{**path}", (HttpContext http, AtelierRuntime rt, string path, CancellationToken ct) => ServeAsync(http, rt, "tile/" + path, ct))
            .WithSummary("A tile (tile/L/N[.p/W]) or an entry bundle (tile/entries/N[.p/W]) in the C2SP tlog-tiles layout.");
        log.MapGet("/proof/consistency", ConsistencyAsync)
            .WithSummary("A consistency proof between two sizes of the log (old ≥ 1, old ≤ new ≤ the latest checkpoint), as base64 hashes.");

        app.MapGet("/api/works/{id}/proof", ReceiptAsync)
            .RequireAuthorization(Policies.Viewer)
            .WithTags("Works")
            .WithSummary("The work's registration receipt (.tlog-proof), verifiable offline with `atelier verify`.");
        return app;
    }

    private static async Task<IResult> ServeAsync(HttpContext http, AtelierRuntime rt, string path, CancellationToken ct)
    {
        var obj = await rt.Log.Reader.ReadPublicAsync(path, ct);
        if (obj is null)
        {
            return WorksApi.Problem(StatusCodes.Status404NotFound, "Not found", "no such log object");
        }

        // tlog-tiles: full tiles and bundles never change, so caches may keep them for good; the checkpoint
        // and partial tiles are superseded as the log grows.
        http.Response.Headers.CacheControl = obj.Immutable ? "public, max-age=31536000, immutable" : "no-cache";
        http.Response.Headers.AccessControlAllowOrigin = "*";
        return Results.Bytes(obj.Data, obj.ContentType);
    }

    private static async Task<IResult> ConsistencyAsync(AtelierRuntime rt, long? old, long? @new, CancellationToken ct)
    {
        var state = await rt.Log.Reader.GetStateAsync(ct);
        var latest = state?.Size ?? 0;
        if (old is not { } a || @new is not { } b || a < 1 || a > b || b > latest)
        {
            return WorksApi.Problem(StatusCodes.Status400BadRequest, "Bad sizes", $"need 1 ≤ old ≤ new ≤ {latest} (the latest checkpoint's size)");
        }

        var proof = await rt.Log.Reader.ProveConsistencyAsync(a, b, ct);
        return TypedResults.Ok(new ConsistencyProofResponse(a, b, [.. proof.Select(h => h.ToBase64())]));
    }

    private static async Task<IResult> ReceiptAsync(AtelierRuntime rt, string id, CancellationToken ct)
    {
        if (await rt.Works.FindAsync(id, ct) is null)
        {
            return WorksApi.Problem(StatusCodes.Status404NotFound, "Not found", "no work has this id");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var receipt = await rt.Log.ProveWorkAsync(id, timeout.Token);
        var result = Results.Bytes(receipt.Format(), "text/plain; charset=utf-8", id + Receipt.FileExtension);
        return result;
    }
}
