using System.Data.Common;
using System.Globalization;
using Atelier.Core;

namespace Atelier.Storage.S3;

/// <summary>
/// Where and how <see cref="S3BlobStore"/> reaches an S3-compatible server (AWS, MinIO, Ceph, s3rver).
/// Bind it from configuration, or <see cref="Parse(string)"/> a connection string.
/// </summary>
public sealed record S3StorageOptions
{
    /// <summary>Multipart parts may not be smaller than this on AWS S3 (except the last).</summary>
    public const long MinPartSize = 5L * 1024 * 1024;

    /// <summary>The endpoint, such as <c>http://127.0.0.1:9000</c>; null for AWS itself (reached through <see cref="Region"/>).</summary>
    public string? ServiceUrl { get; init; }

    /// <summary>The bucket, which must already exist.</summary>
    public string Bucket { get; init; } = "";

    /// <summary>A key prefix, such as <c>prod</c>, so several stores can share a bucket; empty for none.</summary>
    public string Prefix { get; init; } = "";

    /// <summary>The signing region (most S3-compatible servers accept any; AWS needs the bucket's).</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>The access key id; with <see cref="SecretKey"/> null the SDK's default credential chain is used.</summary>
    public string? AccessKey { get; init; }

    /// <summary>The secret key. Never printed: <see cref="ToString"/> redacts it.</summary>
    public string? SecretKey { get; init; }

    /// <summary>Path-style URLs (<c>host/bucket/key</c>), which self-hosted servers need; AWS also accepts them.</summary>
    public bool ForcePathStyle { get; init; } = true;

    /// <summary>
    /// A local folder the store owns, where content is staged and hashed before upload (its key is
    /// unknown until the last byte). Use the data directory's staging area, never a shared temp folder.
    /// </summary>
    public string? StagingDirectory { get; init; }

    /// <summary>Blobs larger than this are uploaded in parts of this size (at least <see cref="MinPartSize"/>).</summary>
    public long PartSize { get; init; } = 16L * 1024 * 1024;

    /// <summary>How many parts of one blob upload at a time.</summary>
    public int UploadConcurrency { get; init; } = 4;

    /// <summary>
    /// Parses <c>endpoint=http://127.0.0.1:4569;bucket=atelier;prefix=prod;accessKey=…;secretKey=…;region=us-east-1</c>
    /// (keys are case-insensitive; <c>staging=</c> sets <see cref="StagingDirectory"/>; values may be quoted).
    /// Missing keys fall back to AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_REGION.
    /// </summary>
    /// <exception cref="FormatException">Malformed string, unknown key, bad value or no bucket.</exception>
    public static S3StorageOptions Parse(string connectionString) => Parse(connectionString, Environment.GetEnvironmentVariable);

    /// <summary>As <see cref="Parse(string)"/>, reading fallbacks through <paramref name="environment"/>.</summary>
    public static S3StorageOptions Parse(string connectionString, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        ArgumentNullException.ThrowIfNull(environment);

        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = connectionString;
        }
        catch (ArgumentException e)
        {
            // The builder's message names only a position, never the (secret-bearing) text.
            throw new FormatException("the S3 connection string is malformed: " + e.Message, e);
        }

        var options = new S3StorageOptions();
        foreach (string key in builder.Keys)
        {
            var value = Convert.ToString(builder[key], CultureInfo.InvariantCulture) ?? "";
            options = key.ToUpperInvariant() switch
            {
                "ENDPOINT" or "SERVICEURL" => options with { ServiceUrl = ParseEndpoint(value) },
                "BUCKET" => options with { Bucket = value },
                "PREFIX" => options with { Prefix = ParsePrefix(value) },
                "REGION" => options with { Region = value },
                "ACCESSKEY" => options with { AccessKey = value },
                "SECRETKEY" => options with { SecretKey = value },
                "FORCEPATHSTYLE" => options with { ForcePathStyle = ParseBool(key, value) },
                "STAGING" or "STAGINGDIRECTORY" => options with { StagingDirectory = value },
                _ => throw new FormatException(
                    $"unknown key '{key}' in the S3 connection string (known: endpoint, bucket, prefix, region, accessKey, secretKey, forcePathStyle, staging)"),
            };
        }

        if (string.IsNullOrEmpty(options.Bucket))
        {
            throw new FormatException("the S3 connection string names no bucket");
        }

        return options with
        {
            AccessKey = NullIfEmpty(options.AccessKey) ?? NullIfEmpty(environment("AWS_ACCESS_KEY_ID")),
            SecretKey = NullIfEmpty(options.SecretKey) ?? NullIfEmpty(environment("AWS_SECRET_ACCESS_KEY")),
            Region = builder.ContainsKey("region") ? options.Region : NullIfEmpty(environment("AWS_REGION")) ?? options.Region,
        };
    }

    /// <summary>The options with the secret key redacted.</summary>
    public override string ToString()
        => $"S3StorageOptions {{ ServiceUrl = {ServiceUrl}, Bucket = {Bucket}, Prefix = {Prefix}, Region = {Region}, " +
           $"AccessKey = {AccessKey}, SecretKey = {(SecretKey is null ? "" : "***")}, ForcePathStyle = {ForcePathStyle}, " +
           $"StagingDirectory = {StagingDirectory}, PartSize = {PartSize}, UploadConcurrency = {UploadConcurrency} }}";

    /// <summary>Throws <see cref="ArgumentException"/> unless the options can open a store.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Bucket))
        {
            throw new ArgumentException("S3StorageOptions.Bucket is required");
        }

        if (string.IsNullOrWhiteSpace(StagingDirectory))
        {
            throw new ArgumentException("S3StorageOptions.StagingDirectory is required: a local folder where uploads are staged (the data directory's staging area)");
        }

        if (Prefix.Length > 0)
        {
            ObjectKeys.Validate(Prefix);
        }

        if (PartSize < MinPartSize)
        {
            throw new ArgumentException($"S3StorageOptions.PartSize must be at least {MinPartSize} bytes");
        }

        if (UploadConcurrency < 1)
        {
            throw new ArgumentException("S3StorageOptions.UploadConcurrency must be at least 1");
        }
    }

    private static string ParseEndpoint(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new FormatException($"the S3 endpoint '{value}' is not an absolute http(s) URL");
        }

        return value;
    }

    private static string ParsePrefix(string value)
    {
        var prefix = value.Trim('/');
        if (prefix.Length > 0 && !ObjectKeys.IsValid(prefix))
        {
            throw new FormatException($"the S3 prefix '{value}' must be slash-separated [A-Za-z0-9._-] segments");
        }

        return prefix;
    }

    private static bool ParseBool(string key, string value)
        => bool.TryParse(value, out var result) ? result : throw new FormatException($"'{key}' must be true or false");

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
