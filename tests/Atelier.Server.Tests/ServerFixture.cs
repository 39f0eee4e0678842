using System.Net.Http.Headers;
using Atelier.Catalog;
using Atelier.Core;
using Atelier.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Atelier.Server.Tests;

/// <summary>A real server: Kestrel on 127.0.0.1 with a free port, over a SQLite file and a blob folder.</summary>
public sealed class ServerFixture : IAsyncDisposable
{
    private ServerFixture(TempDirectory dir, AtelierRuntime runtime, WebApplication app, Uri baseAddress)
    {
        Dir = dir;
        Runtime = runtime;
        App = app;
        BaseAddress = baseAddress;
    }

    public TempDirectory Dir { get; }
    public AtelierRuntime Runtime { get; }
    public WebApplication App { get; }
    public Uri BaseAddress { get; }
    public string OwnerKey { get; private set; } = "";
    public string EditorKey { get; private set; } = "";
    public string ViewerKey { get; private set; } = "";

    public static async Task<ServerFixture> StartAsync(long maxUploadBytes = AtelierSettings.DefaultMaxUploadBytes)
    {
        var dir = new TempDirectory("atelier-server");
        var runtime = await AtelierRuntime.OpenAsync(new AtelierSettings { DataDirectory = dir.Combine("data"), MaxUploadBytes = maxUploadBytes });
        var app = AtelierServer.Build(runtime, ["http://127.0.0.1:0"], logging => logging.ClearProviders());
        await app.StartAsync();
        var fixture = new ServerFixture(dir, runtime, app, new Uri(app.Urls.First()))
        {
            OwnerKey = (await runtime.Keys.CreateAsync(Role.Owner, "owner")).Secret,
            EditorKey = (await runtime.Keys.CreateAsync(Role.Editor, "editor")).Secret,
            ViewerKey = (await runtime.Keys.CreateAsync(Role.Viewer, "viewer")).Secret,
        };
        return fixture;
    }

    public HttpClient Client(string? key = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    public static MultipartFormDataContent Form(byte[] content, string fileName, params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        return form;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        await Runtime.DisposeAsync();
        Dir.Dispose();
    }
}
