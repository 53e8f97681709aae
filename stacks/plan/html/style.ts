/** The report's stylesheet, inlined: system fonts only, nothing fetched. */
export const STYLE = `
:root { --ink:#1d2733; --muted:#5d6b7a; --line:#d8dee6; --bg:#f3f5f8; --card:#fff;
  --ok:#2f8f5b; --low:#c98a12; --tight:#c2412d; --accent:#2b5fad; --deny:#eef1f4; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink);
  font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif; }
main { max-width:1280px; margin:0 auto; padding:24px 28px 48px; }
h1 { font-size:22px; margin:0 0 4px; }
h1 code { font-size:21px; }
h2 { font-size:17px; margin:0 0 12px; }
h3 { font-size:14px; margin:0 0 8px; }
code, .mono { font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace; font-size:12.5px; }
section.card { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:18px 20px; margin:0 0 18px; }
.sub { color:var(--muted); }
.facts { display:flex; flex-wrap:wrap; gap:10px; margin:14px 0 18px; }
.fact { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:8px 14px; min-width:120px; }
.fact b { display:block; font-size:20px; }
.fact span { color:var(--muted); font-size:12px; }
.fact.bad b { color:var(--tight); } .fact.good b { color:var(--ok); }
.nodes { display:grid; grid-template-columns:repeat(auto-fill,minmax(540px,1fr)); gap:14px; }
.node { border:1px solid var(--line); border-radius:8px; padding:12px 14px; }
.metric { display:grid; grid-template-columns:40px 1fr 120px 84px; align-items:center; gap:10px; margin:7px 0; }
.metric .label { color:var(--muted); font-size:12px; }
.bar { display:flex; height:18px; background:#e7ebf0; border-radius:4px; overflow:hidden; }
.seg { height:100%; border-right:1px solid #fff; }
.ok .seg { background:#58a97c; } .ok .seg:nth-child(even) { background:#7fc19c; }
.low .seg { background:#dfa235; } .low .seg:nth-child(even) { background:#ebbd67; }
.tight .seg { background:#d4604d; } .tight .seg:nth-child(even) { background:#e38a7a; }
.figures { text-align:right; font-variant-numeric:tabular-nums; }
.headroom { text-align:right; font-size:12px; font-variant-numeric:tabular-nums; }
.ok .headroom { color:var(--ok); } .low .headroom { color:var(--low); } .tight .headroom { color:var(--tight); font-weight:600; }
table { border-collapse:collapse; width:100%; }
th, td { text-align:left; padding:5px 8px; border-bottom:1px solid var(--line); vertical-align:top; }
th { font-size:12px; color:var(--muted); font-weight:600; }
td.n, th.n { text-align:right; font-variant-numeric:tabular-nums; }
table.vms { margin-top:8px; font-size:12.5px; }
table.vms td, table.vms th { padding:2px 6px; white-space:nowrap; }
.grid { table-layout:fixed; }
.grid th, .grid td { border:1px solid var(--line); text-align:center; font-size:12px; padding:3px 2px; height:34px; }
.grid th.from { text-align:left; width:120px; vertical-align:middle; }
.grid td.denied { background:var(--deny); }
.grid td.self { background:repeating-linear-gradient(45deg,#f6f7f9,#f6f7f9 4px,#e9ecf0 4px,#e9ecf0 8px); }
.grid td.allowed { background:#e3f1e8; } .grid td.any { background:#f1f7f3; color:var(--muted); }
.grid td.quarantine { background:#fbeceb; }
.grid td.quarantine.self { background:repeating-linear-gradient(45deg,#fbeceb,#fbeceb 4px,#f3d9d6 4px,#f3d9d6 8px); }
.grid th.quarantine { color:var(--tight); background:#fbeceb; }
.svc { display:inline-block; white-space:nowrap; background:#fff; border:1px solid #b9d6c4; border-radius:10px; padding:0 6px; margin:1px; font-size:11.5px; }
.any .svc { border-style:dashed; }
.legend { color:var(--muted); font-size:12px; margin-top:8px; }
.count { display:inline-block; min-width:24px; text-align:center; border-radius:12px; padding:0 8px; background:#e3f1e8; color:#1f5e3b; }
.count.bad { background:#fbe5e1; color:#8f2b1c; }
.legend i { display:inline-block; width:12px; height:12px; vertical-align:-2px; border:1px solid var(--line); margin:0 4px 0 12px; }
.dag svg { width:100%; height:auto; }
.dag text { font-family:inherit; }
.none { background:#e3f1e8; border:1px solid #b9d6c4; border-radius:8px; padding:10px 14px; color:#1f5e3b; }
.policy { border-left:4px solid var(--tight); padding:4px 0 4px 12px; margin:10px 0; }
.policy.advisory { border-left-color:var(--low); }
.policy li { margin:4px 0; }
.level { font-size:11px; text-transform:uppercase; letter-spacing:.04em; color:#fff; background:var(--tight); border-radius:4px; padding:1px 6px; }
.advisory .level { background:var(--low); }
.kind { font-size:11px; font-weight:600; border-radius:4px; padding:1px 6px; }
.kind.added { background:#e3f1e8; color:#1f5e3b; } .kind.removed { background:#fbe5e1; color:#8f2b1c; }
.kind.changed { background:#fdf1d9; color:#7a520a; }
.security { border-left:4px solid var(--tight); }
#diff h3 { margin-top:16px; }
ul.changes { padding-left:18px; } ul.changes ul { color:var(--muted); }
`;
