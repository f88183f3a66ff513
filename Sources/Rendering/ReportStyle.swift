/// The report's own CSS, script and SVG patterns: literals, so they cannot carry capture text.
/// Fonts are the system's: the page needs no network.
public enum ReportStyle {
    public static let css: StaticString = """
    :root{--fg:#1d2330;--muted:#5f6b7a;--line:#d7dce3;--bg:#f6f7f9;--card:#fff;--ok:#2e7d32;--bad:#c62828;--warn:#b26a00;--accent:#2457a6}
    *{box-sizing:border-box}
    body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
    header.top{background:#1f2a3c;color:#fff;padding:14px 24px;display:flex;align-items:baseline;gap:18px;flex-wrap:wrap}
    header.top h1{font-size:19px;margin:0;font-weight:600}
    header.top .file{font-family:ui-monospace,Menlo,Consolas,monospace;color:#cfd8e6;word-break:break-all}
    header.top nav{margin-left:auto;display:flex;gap:14px}
    header.top nav a{color:#cfe0ff;text-decoration:none}
    main{max-width:1380px;margin:0 auto;padding:16px 24px 60px}
    section.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:14px 18px;margin:0 0 16px}
    h2{font-size:17px;margin:0 0 10px}
    h3{font-size:15px;margin:14px 0 8px}
    .muted{color:var(--muted)}
    .mono,code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12.5px}
    .stats{display:flex;gap:10px;flex-wrap:wrap;margin:4px 0 10px}
    .stat{border:1px solid var(--line);border-radius:6px;padding:6px 12px;min-width:110px}
    .stat b{display:block;font-size:20px}
    .stat.accepted b{color:var(--ok)} .stat.rejected b,.stat.unanswered b{color:var(--bad)} .stat.unknown b{color:var(--warn)}
    table{border-collapse:collapse;width:100%}
    th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #edf0f3;vertical-align:top}
    th{font-weight:600;color:var(--muted);font-size:12.5px}
    .sev-error{color:var(--bad);font-weight:600} .sev-warning{color:var(--warn);font-weight:600} .sev-info{color:var(--muted)}
    .why{border-left:4px solid var(--bad);padding:6px 12px;margin:10px 0;background:#fff8f8;border-radius:0 6px 6px 0}
    .why h3{margin:2px 0 6px}
    .why ol{margin:0;padding-left:0;list-style:none}
    .why li{padding:2px 0}
    .why li.skip{color:var(--muted)}
    .why .next{margin-top:6px}
    .ok{color:var(--ok);font-weight:700} .bad{color:var(--bad);font-weight:700} .unsure{color:var(--warn);font-weight:700}
    a.frame{color:var(--accent);text-decoration:none;border-bottom:1px dotted var(--accent);cursor:pointer}
    .verdict{display:inline-block;padding:0 8px;border-radius:10px;background:var(--bad);color:#fff;font-size:12px;font-weight:600;margin-left:6px}
    .phone-head{display:flex;gap:14px;align-items:baseline;flex-wrap:wrap}
    .phone-head h2{margin:0}
    .panel{display:grid;grid-template-columns:repeat(auto-fill,minmax(190px,1fr));gap:8px;margin:10px 0 14px}
    .key{border:1px solid var(--line);border-radius:6px;padding:6px 8px;display:grid;grid-template-columns:24px 1fr;column-gap:8px;align-items:center;background:#fbfcfd}
    .key .lamp{grid-row:span 2}
    .key .name{font-weight:600;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
    .key .sub{color:var(--muted);font-size:12px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
    .key.unsure .lamp{opacity:.45}
    .key .badge{font-size:11px;color:var(--warn);font-weight:600;margin-left:4px}
    .lamp{width:18px;height:18px;border-radius:50%;display:inline-block;border:1px solid rgba(0,0,0,.3);vertical-align:middle}
    .lamp-on{background:var(--lamp,#2e9d46);box-shadow:0 0 6px var(--lamp,#2e9d46)}
    .lamp-off{background:#e3e6ea}
    .lamp-hold{background:var(--lamp,#e8a317);outline:2px dashed var(--lamp,#e8a317);outline-offset:2px;animation:blink 1.6s steps(1) infinite}
    .lamp-pickup{background:var(--lamp,#d93025);outline:2px dotted var(--lamp,#d93025);outline-offset:2px;animation:blink .5s steps(1) infinite}
    .lamp-park{background:repeating-linear-gradient(45deg,var(--lamp,#2f6fcf) 0 4px,#fff 4px 7px);animation:blink 1.2s steps(1) infinite}
    .lamp-message{background:var(--lamp,#8e44ad);animation:pulse 2s ease-in-out infinite}
    .lamp-record{background:#b0003a;outline:2px dashed #b0003a;outline-offset:2px;animation:blink 1s steps(1) infinite}
    .lamp-offline{background:linear-gradient(45deg,transparent 44%,#fff 44% 56%,transparent 56%),#6b7280}
    .lamp-error{background:#c62828;box-shadow:0 0 0 2px #fbd0d0}
    .lamp-other{background:#fff;border:2px dashed #888}
    @keyframes blink{50%{opacity:.35}}
    @keyframes pulse{50%{box-shadow:0 0 0 5px rgba(142,68,173,.25)}}
    @media (prefers-reduced-motion:reduce){.lamp{animation:none!important}}
    .legend{display:flex;flex-wrap:wrap;gap:12px;font-size:12px;color:var(--muted);margin:4px 0 8px}
    .legend span{display:inline-flex;align-items:center;gap:5px}
    .legend svg{vertical-align:middle}
    .lanes{border-top:1px solid var(--line)}
    .key-lane{display:grid;grid-template-columns:150px 1fr;align-items:center;border-bottom:1px solid #edf0f3}
    .lane-name{padding:2px 8px;font-size:13px;overflow:hidden}
    .lane-name b{display:block}
    .lane-name span{color:var(--muted);font-size:12px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;display:block}
    .key-lane svg,.axis svg{display:block;width:100%;height:auto}
    .axis{display:grid;grid-template-columns:150px 1fr}
    svg text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
    svg a{cursor:pointer}
    svg a:hover line.shaft,svg a.sel line.shaft{stroke-width:3}
    svg a.sel text{font-weight:700}
    .ladder-wrap{overflow:auto;max-height:80vh;border:1px solid var(--line);border-radius:6px;background:#fff}
    #ladder .host-line{stroke:#b8c0cc;stroke-dasharray:4 4}
    #ladder .host-name{font-size:12px;font-weight:600;fill:#1d2330}
    #ladder .when{font-size:11px;fill:#5f6b7a;font-family:ui-monospace,Menlo,Consolas,monospace}
    #ladder .label{font-size:11.5px}
    #ladder .note{font-size:11px;fill:#5f6b7a}
    .shaft{stroke-width:1.6}
    .arrow-request .shaft{stroke:#2457a6} .arrow-request text.label{fill:#2457a6}
    .arrow-retransmission .shaft{stroke:#7c8aa5;stroke-dasharray:5 4} .arrow-retransmission text.label{fill:#7c8aa5}
    .arrow-ok .shaft{stroke:#2e7d32} .arrow-ok text.label{fill:#2e7d32}
    .arrow-provisional .shaft{stroke:#8a8f98} .arrow-provisional text.label{fill:#8a8f98}
    .arrow-error .shaft{stroke:#c62828} .arrow-error text.label{fill:#c62828}
    .hit{stroke:transparent;stroke-width:12}
    #viewer{position:fixed;top:0;right:0;bottom:0;width:min(620px,48vw);background:#fff;border-left:1px solid var(--line);box-shadow:-6px 0 18px rgba(0,0,0,.12);overflow:auto;padding:12px 16px;display:none;z-index:5}
    #viewer.open{display:block}
    #viewer .close{position:sticky;top:0;float:right;border:1px solid var(--line);background:#fff;border-radius:4px;padding:2px 10px;cursor:pointer}
    .msg{display:none}
    .msg.shown,.msg:target{display:block}
    #viewer:has(.msg:target){display:block}
    .msg h3{margin-top:0}
    .msg pre{white-space:pre-wrap;word-break:break-all;background:#f6f8fa;border:1px solid #e4e8ee;border-radius:4px;padding:8px}
    .msg pre .start{font-weight:700}
    .msg pre .hname{color:#7a3e9d}
    .body-table td:first-child{width:60px}
    .note-cut{color:var(--warn)}
    """

    /// Shows a message's panel when an arrow, a lane mark or a frame link is clicked. It only
    /// toggles classes on elements we made; it never writes HTML.
    public static let script: StaticString = """
    (function(){
      var viewer=document.getElementById('viewer'),shown=null,selected=[];
      function clearHash(){if(location.hash){try{history.replaceState(null,'',location.pathname+location.search)}catch(x){}}}
      function show(id){
        var el=document.getElementById(id);
        if(!el||!el.classList.contains('msg'))return false;
        if(shown)shown.classList.remove('shown');
        clearHash();
        el.classList.add('shown');shown=el;
        viewer.classList.add('open');viewer.scrollTop=0;
        selected.forEach(function(s){s.classList.remove('sel')});
        selected=Array.prototype.slice.call(document.querySelectorAll('a.arrow[data-msg="'+id+'"]'));
        selected.forEach(function(s){s.classList.add('sel')});
        return true;
      }
      document.addEventListener('click',function(e){
        var t=e.target;
        if(t.closest&&t.closest('#viewer .close')){clearHash();viewer.classList.remove('open');if(shown)shown.classList.remove('shown');shown=null;e.preventDefault();return;}
        var a=t.closest?t.closest('[data-msg]'):null;
        if(a&&show(a.getAttribute('data-msg')))e.preventDefault();
      });
      document.addEventListener('keydown',function(e){if(e.key==='Escape'){clearHash();viewer.classList.remove('open');}});
      document.body.setAttribute('data-script','ran');
    })();
    """

    /// Fills for blinking lights in the lanes: stripes and dots, so they read without colour too.
    public static let svgDefs: StaticString = """
    <svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs>
    <pattern id="pat-hold" width="10" height="10" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="10" height="10" fill="#f6d48a"/><rect width="5" height="10" fill="#e8a317"/></pattern>
    <pattern id="pat-pickup" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fbd3cf"/><rect width="3" height="6" fill="#d93025"/></pattern>
    <pattern id="pat-park" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="#cfe0f7"/><path d="M0 0L8 8M8 0L0 8" stroke="#2f6fcf" stroke-width="1.6"/></pattern>
    <pattern id="pat-message" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="#e6d4ee"/><circle cx="4" cy="4" r="2.2" fill="#8e44ad"/></pattern>
    <pattern id="pat-record" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)"><rect width="6" height="6" fill="#f3c6d3"/><rect width="3" height="6" fill="#b0003a"/></pattern>
    <pattern id="pat-other" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="#fff"/><path d="M0 4H4" stroke="#888" stroke-width="1.4"/></pattern>
    <pattern id="pat-unsure" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="2" height="6" fill="rgba(255,255,255,.55)"/></pattern>
    <marker id="head-request" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#2457a6"/></marker>
    <marker id="head-retransmission" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#7c8aa5"/></marker>
    <marker id="head-ok" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#2e7d32"/></marker>
    <marker id="head-provisional" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#8a8f98"/></marker>
    <marker id="head-error" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#c62828"/></marker>
    </defs></svg>
    """
}
