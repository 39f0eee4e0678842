using Atelier.Storage.S3;

namespace Atelier.Storage.Blobs.Tests.S3;

public sealed class S3StorageOptionsTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    [Fact]
    public void Parse_connection_string_reads_every_field()
    {
        var options = S3StorageOptions.Parse(
            "endpoint=http://127.0.0.1:4569;Bucket=atelier;prefix=/prod/eu/;accessKey=AK;secretKey=\"se;cret\";region=eu-west-3;forcePathStyle=false;staging=/data/.staging",
            NoEnvironment);

        Assert.Equal("http://127.0.0.1:4569", options.ServiceUrl);
        Assert.Equal("atelier", options.Bucket);
        Assert.Equal("prod/eu", options.Prefix);
        Assert.Equal("AK", options.AccessKey);
        Assert.Equal("se;cret", options.SecretKey);
        Assert.Equal("eu-west-3", options.Region);
        Assert.False(options.ForcePathStyle);
        Assert.Equal("/data/.staging", options.StagingDirectory);
    }

    [Fact]
    public void Parse_without_keys_falls_back_to_the_aws_environment()
    {
        var environment = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = "env-access",
            ["AWS_SECRET_ACCESS_KEY"] = "env-secret",
            ["AWS_REGION"] = "ap-east-1",
        };

        var options = S3StorageOptions.Parse("bucket=atelier", name => environment.GetValueOrDefault(name));

        Assert.Null(options.ServiceUrl);
        Assert.Equal("env-access", options.AccessKey);
        Assert.Equal("env-secret", options.SecretKey);
        Assert.Equal("ap-east-1", options.Region);
        Assert.True(options.ForcePathStyle);
        Assert.Equal("", options.Prefix);
    }

    [Fact]
    public void Parse_keys_in_the_string_win_over_the_environment()
    {
        var options = S3StorageOptions.Parse("bucket=b;accessKey=AK;secretKey=SK;region=us-west-2", _ => "from-environment");

        Assert.Equal("AK", options.AccessKey);
        Assert.Equal("SK", options.SecretKey);
        Assert.Equal("us-west-2", options.Region);
    }

    [Theory]
    [InlineData("endpoint=http://127.0.0.1:4569")]
    [InlineData("bucket=b;colour=blue")]
    [InlineData("bucket=b;endpoint=ftp://host")]
    [InlineData("bucket=b;endpoint=not a url")]
    [InlineData("bucket=b;prefix=../escape")]
    [InlineData("bucket=b;forcePathStyle=maybe")]
    [InlineData("bucket=b;secretKey")]
    public void Parse_invalid_connection_string_is_rejected(string connectionString)
        => Assert.Throws<FormatException>(() => S3StorageOptions.Parse(connectionString, NoEnvironment));

    [Fact]
    public void Parse_error_never_echoes_the_secret()
    {
        var error = Assert.Throws<FormatException>(() => S3StorageOptions.Parse("bucket=b;secretKey=hunter2-secret;oops", NoEnvironment));

        Assert.DoesNotContain("hunter2-secret", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_redacts_the_secret_key()
    {
        var options = S3StorageOptions.Parse("bucket=b;accessKey=AK;secretKey=hunter2-secret", NoEnvironment);

        var text = options.ToString();

        Assert.DoesNotContain("hunter2-secret", text, StringComparison.Ordinal);
        Assert.Contains("SecretKey = ***", text, StringComparison.Ordinal);
        Assert.Contains("AccessKey = AK", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Store_without_a_staging_directory_is_refused()
    {
        var options = S3StorageOptions.Parse("endpoint=http://127.0.0.1:1;bucket=b;accessKey=a;secretKey=s", NoEnvironment);

        var error = Assert.Throws<ArgumentException>(() => new S3BlobStore(options));

        Assert.Contains("StagingDirectory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Store_with_parts_below_the_s3_minimum_is_refused()
    {
        var options = S3StorageOptions.Parse("endpoint=http://127.0.0.1:1;bucket=b;staging=/tmp/unused", NoEnvironment) with { PartSize = 1024 };

        Assert.Throws<ArgumentException>(() => new S3BlobStore(options));
    }
}
