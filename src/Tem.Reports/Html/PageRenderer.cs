using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Tem.Reports.Html;

/// <summary>
/// Renders a page component to an HTML string with the ASP.NET Core <see cref="HtmlRenderer"/> (from the
/// Microsoft.AspNetCore.Components.Web package; no web server, no ASP.NET Core runtime).
/// </summary>
/// <remarks>
/// Why Razor components: the pages are typed (a component's parameters are checked at build, a wrong property name
/// fails the build), compiled at build (no Roslyn at run time, unlike RazorLight; nothing to compile on the first
/// page), and every <c>@value</c> is HTML-escaped unless it is explicitly a <see cref="MarkupString"/>, which only the
/// chart SVG and the constant stylesheet are (<see cref="HtmlKit"/>). Fluid (Liquid) would be untyped.
/// <para>
/// The service provider (the encoder and a null logger, all a renderer needs) is built once per process. A renderer
/// keeps every root component it has rendered until it is disposed (it has no call to drop one), so each page gets
/// its own short-lived renderer and dispatcher, which costs microseconds, and a long-lived process (the scheduler,
/// the portal) does not accumulate every page it ever wrote.
/// </para>
/// </remarks>
internal static class PageRenderer
{
    private static readonly Lazy<ServiceProvider> Services = new(() => new ServiceCollection()
        // The default encoder writes every non-ASCII character as an entity (&#xD7; for ×, an Arabic name as
        // entities). Allowing all ranges keeps the text readable in the file; <, >, &, ' and " are still escaped.
        .AddSingleton(HtmlEncoder.Create(UnicodeRanges.All))
        .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
        .BuildServiceProvider());

    /// <summary>Renders <typeparamref name="TPage"/> with <paramref name="parameters"/> (property name to value).</summary>
    public static string Render<TPage>(IDictionary<string, object?> parameters)
        where TPage : IComponent
    {
        var services = Services.Value;
        using var renderer = new HtmlRenderer(services, services.GetRequiredService<ILoggerFactory>());
        // The pages are synchronous: the task completes before InvokeAsync returns, so waiting on it cannot block.
        return renderer.Dispatcher.InvokeAsync(async () =>
        {
            var root = await renderer.RenderComponentAsync<TPage>(ParameterView.FromDictionary(parameters)).ConfigureAwait(false);
            return root.ToHtmlString();
        }).GetAwaiter().GetResult();
    }
}
