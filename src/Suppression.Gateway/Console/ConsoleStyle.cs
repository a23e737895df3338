namespace Suppression.Gateway.Console;

/// <summary>
/// The console's one stylesheet, served from this origin (<c>style-src 'self'</c>: no inline styles
/// anywhere). Readable on a phone: on narrow screens the record tables become one card per record.
/// </summary>
public static class ConsoleStyle
{
    public const string Css = """
        :root{color-scheme:light dark;--fg:#1a1a1a;--muted:#52525b;--bg:#f4f4f5;--card:#fff;--line:#d4d4d8;--accent:#1d4ed8;--ok:#166534;--ok-bg:#dcfce7;--bad:#b91c1c;--bad-bg:#fee2e2}
        @media (prefers-color-scheme:dark){:root{--fg:#f4f4f5;--muted:#a1a1aa;--bg:#18181b;--card:#27272a;--line:#3f3f46;--accent:#93c5fd;--ok:#86efac;--ok-bg:#14532d;--bad:#fca5a5;--bad-bg:#7f1d1d}}
        *{box-sizing:border-box}
        body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
        a{color:var(--accent)}
        a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,summary:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
        .bar{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem;padding:.75rem 1rem;background:var(--card);border-bottom:1px solid var(--line)}
        .brand{font-weight:700;text-decoration:none;color:var(--fg)}
        nav{display:flex;flex-wrap:wrap;gap:.25rem 1rem}
        nav a{text-decoration:none;padding:.25rem 0}
        nav a[aria-current=page]{font-weight:700;border-bottom:2px solid var(--accent)}
        .session{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem;margin-left:auto}
        .actor{color:var(--muted);font-size:.875rem;overflow-wrap:anywhere}
        main{max-width:80rem;margin:0 auto;padding:1rem;overflow-wrap:break-word}
        h1,h2{overflow-wrap:anywhere}
        h1{font-size:1.5rem;line-height:1.25;margin:.5rem 0 1rem}
        h2{font-size:1.125rem;margin:1.5rem 0 .5rem}
        section{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:1rem;margin:0 0 1rem}
        section>h2:first-child,section>p:first-child{margin-top:0}
        form.stack{display:grid;gap:.5rem;max-width:28rem}
        form.filters{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-end}
        fieldset{border:1px solid var(--line);border-radius:.375rem;margin:0;padding:.5rem .75rem}
        fieldset label{display:inline-flex;align-items:center;gap:.25rem;margin-right:.75rem;white-space:nowrap}
        label{font-weight:600}
        fieldset label{font-weight:400}
        .field{display:grid;gap:.25rem}
        input[type=text],input[type=password],input[type=date]{font:inherit;padding:.5rem;border:1px solid var(--muted);border-radius:.375rem;background:var(--card);color:var(--fg);min-width:0;width:100%}
        button{font:inherit;font-weight:600;min-height:2.5rem;padding:.5rem 1.25rem;border:0;border-radius:.375rem;background:var(--accent);color:var(--card);cursor:pointer}
        button.secondary{background:transparent;color:var(--fg);border:2px solid var(--line)}
        .actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.75rem 0}
        .actions form{margin:0}
        .actions a{display:inline-block;font-weight:600;padding:.5rem 1rem;border:2px solid var(--line);border-radius:.375rem;text-decoration:none}
        .error{color:var(--bad);background:var(--bad-bg);border-left:4px solid var(--bad);padding:.5rem .75rem;font-weight:600}
        .note{color:var(--muted)}
        .status{font-weight:600;padding:.5rem .75rem;border-left:4px solid var(--line)}
        .status.ok{color:var(--ok);background:var(--ok-bg);border-color:var(--ok)}
        .status.broken{color:var(--bad);background:var(--bad-bg);border-color:var(--bad)}
        .status.broken strong{letter-spacing:.05em}
        .chart{display:block;width:100%;height:auto;max-height:22rem;color:var(--fg)}
        details{margin-top:.5rem}
        summary{cursor:pointer;color:var(--accent)}
        .table{overflow-x:auto}
        table{border-collapse:collapse;width:100%;font-size:.8125rem}
        th,td{text-align:left;vertical-align:top;padding:.375rem .375rem;border-bottom:1px solid var(--line)}
        th{white-space:nowrap;background:var(--bg)}
        td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
        td{overflow-wrap:break-word}
        td.identifier{overflow-wrap:anywhere;min-width:5rem}
        .erased{color:var(--muted);font-style:italic}
        .pager{display:flex;flex-wrap:wrap;gap:1rem;margin:1rem 0}
        ul.recipients{margin:0;padding-left:1.25rem}
        dl.report{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}
        dl.report dt{font-weight:600}
        dl.report dd{margin:0;overflow-wrap:anywhere}
        @media (max-width:48rem){
          .bar{padding:.5rem .75rem}
          .session{margin-left:0}
          main{padding:.75rem}
          table.records thead{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
          table.records,table.records tbody,table.records tr,table.records td{display:block;width:100%}
          table.records tr{border:1px solid var(--line);border-radius:.375rem;margin:0 0 .75rem;padding:.25rem .5rem;background:var(--card)}
          table.records td{border:0;padding:.125rem 0;display:grid;grid-template-columns:7.5rem 1fr;gap:.5rem;overflow-wrap:anywhere}
          table.records td::before{content:attr(data-label);font-weight:600;color:var(--muted)}
        }

        """;

    public static IResult Serve() => Results.Text(Css, "text/css; charset=utf-8");
}
