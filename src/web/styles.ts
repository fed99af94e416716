// The one stylesheet, inlined by Layout. Two layers: what a resident's phone needs (every page) and what the
// staff pages' tables, tabs and printouts add (pages rendered with `staff`), so a QR-code visit stays one small request.

/** Every page: the shell, forms, the receipt and the printed poster. */
export const PUBLIC_CSS = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.6 -apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#1f2328;background:#f6f7f9}
main{max-width:640px;margin:0 auto;padding:16px}
main{overflow-wrap:anywhere}
main.wide{max-width:1100px}
table{overflow-wrap:normal}
.table-wrap{overflow-x:auto}
header.top{background:#b3261e;color:#fff;padding:12px 16px}
header.top a{color:#fff;text-decoration:none}
header.top .t{font-size:18px;font-weight:600;max-width:640px;margin:0 auto}
h1{font-size:22px;line-height:1.3;margin:8px 0 12px}
h2{font-size:18px;margin:20px 0 8px}
a{color:#0b57d0}
.card{background:#fff;border-radius:10px;padding:16px;margin:12px 0;box-shadow:0 1px 2px rgba(0,0,0,.06)}
.muted{color:#59636e;font-size:14px}
.btn{display:inline-block;background:#b3261e;color:#fff;border:0;border-radius:8px;padding:12px 20px;font-size:17px;text-decoration:none;cursor:pointer;min-height:44px}
/* primary actions and navigation are at least 44 px high: a thumb, not a mouse pointer */
ul.actions{list-style:none;padding:0;margin:8px 0}ul.actions li{margin:8px 0}
ul.actions a{display:flex;align-items:center;min-height:44px;padding:8px 12px;border:1px solid #d0d7de;border-radius:8px;background:#fff;text-decoration:none;font-weight:600}
nav.sizes{display:flex;flex-wrap:wrap;gap:8px;justify-content:center}
nav.sizes a{display:inline-flex;align-items:center;min-height:44px;padding:0 14px;border:1px solid #d0d7de;border-radius:8px;background:#fff;text-decoration:none}
nav.sizes a[aria-current]{font-weight:700;color:#1f2328;border-color:#1f2328}
.btn.secondary{background:#fff;color:#b3261e;border:1px solid #b3261e}
.btn:focus,input:focus,select:focus,textarea:focus{outline:3px solid #f2b8b5;outline-offset:1px}
label{display:block;font-weight:600;margin:14px 0 4px}
input[type=text],input[type=tel],input[type=date],input[type=datetime-local],input[type=number],input[type=password],select,textarea{width:100%;font:inherit;padding:10px;border:1px solid #c4c8cf;border-radius:8px;background:#fff;min-height:44px}
textarea{min-height:96px}
fieldset{border:0;padding:0;margin:14px 0 0}
legend{font-weight:600;padding:0;margin-bottom:4px}
.opt{display:flex;align-items:center;gap:8px;padding:8px 0;font-weight:400;margin:0}
.opt input{width:22px;height:22px;margin:0}
.req{color:#b3261e}
@media (pointer:coarse){.kbd{display:none}}
.help{font-size:14px;color:#59636e;margin:2px 0 4px}
.err{color:#b3261e;font-size:15px;margin:4px 0}
.invalid input,.invalid select,.invalid textarea{border-color:#b3261e;background:#fff8f7}
.alert{border-left:4px solid #b3261e;background:#fff8f7;padding:12px;border-radius:6px;margin:12px 0}
.alert ul{margin:6px 0 0;padding-left:20px}.alert h2{margin:0;font-size:17px}
.ok{border-left:4px solid #1e7d32;background:#f3fbf4;padding:12px;border-radius:6px;margin:12px 0}
table{border-collapse:collapse;width:100%;background:#fff;font-size:14px}
th,td{border-bottom:1px solid #e3e6ea;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f0f2f5}
.hp{position:absolute;left:-9999px;width:1px;height:1px;overflow:hidden}
footer{max-width:640px;margin:24px auto;padding:0 16px;color:#59636e;font-size:13px}
.sw{border-left:3px solid #e3e6ea;padding-left:10px}.sw .help.when{font-style:italic}
input[type=file]{font-size:15px;max-width:100%}.submit{margin:20px 0 8px}
main:not(.wide) .submit .btn{width:100%}
.code{font:700 28px/1.2 ui-monospace,Menlo,Consolas,monospace;letter-spacing:3px;background:#fff;border:2px dashed #b3261e;border-radius:8px;padding:10px;text-align:center;margin:8px 0;word-break:break-all}
ol.steps{padding-left:20px}ol.steps li{margin:6px 0}
.poster{text-align:center;page:poster}.poster h1{font-size:30px;color:#b3261e;margin:4px 0}
/* every printout is A4; the poster and the circular name their own margins */
@page{size:A4}
@page poster{margin:12mm}
.slogan{font-size:26px;font-weight:700;color:#b3261e;border-top:3px solid #b3261e;border-bottom:3px solid #b3261e;padding:10px 0;margin:14px 0}
.qrs{display:flex;flex-wrap:wrap;gap:12px;justify-content:center}
.qr{flex:1 1 180px;max-width:220px;border:1px solid #e3e6ea;border-radius:10px;padding:10px;background:#fff}
.qr img{width:100%;height:auto;display:block}.qr h2{font-size:17px;margin:6px 0 2px}.qr p{margin:0;font-size:13px;color:#59636e;word-break:break-all}
@media print{header.top,footer,.noprint{display:none}body{background:#fff}main:has(>.poster),main:has(.poster){max-width:none;padding:0}.qr{break-inside:avoid}
/* a poster fills its whole printed page: the name at the top, the codes in the middle, the note at the foot */
.poster{display:flex;flex-direction:column;justify-content:space-between;height:268mm}
.poster h1{font-size:44px}.poster .slogan{font-size:34px}
.poster .qrs{flex-wrap:nowrap;gap:6mm}.poster .qr{max-width:none;flex:1 1 0}.poster .qr h2{font-size:22px}.poster .qr p{font-size:14px}
.poster.a5{height:180mm}.poster.a5 h1{font-size:30px}.poster.a5 .slogan{font-size:22px}.poster.a5 .qr h2{font-size:16px}.poster.a5 .qr p{font-size:10px}
.poster.a6{height:118mm}.poster.a6 h1{font-size:20px}.poster.a6 .slogan{font-size:15px;padding:4px 0;margin:6px 0}.poster.a6 .qr{padding:4px}.poster.a6 .qr h2{font-size:12px}.poster.a6 .qr p{display:none}.poster.a6>p.muted{font-size:10px}}
`;

/** Staff pages: the portal, hazard supervision, suggestions, the office home, rankings and the printed circular. */
export const STAFF_CSS = `
.who{font-size:14px;color:#59636e;margin:0}
nav.portal{display:flex;flex-wrap:wrap;gap:0 14px;margin:4px 0 8px;font-size:15px}
nav.portal a,nav.tabs a,p.tabs a{display:inline-flex;align-items:center;min-height:44px}
nav.portal a[aria-current]{font-weight:700;text-decoration:none;color:#1f2328}
nav.tabs{display:flex;flex-wrap:wrap;gap:0 14px;margin:8px 0;font-size:15px}
nav.tabs a[aria-current]{font-weight:700;color:#1f2328;text-decoration:none}
.row{display:flex;flex-wrap:wrap;gap:8px;align-items:center}
.row form{margin:0}.row>label{margin:0}
figure.lead-photo{margin:12px 0}figure.lead-photo img{display:block;max-width:100%;max-height:60vh;border-radius:8px}figure.lead-photo figcaption{margin-top:4px}
/* the hazard pages' one-click forms, one per line in a card */
.card>form.row{margin:8px 0}
button.link{background:none;border:0;color:#0b57d0;text-decoration:underline;cursor:pointer;font:inherit;padding:0}
form.signout{display:inline;margin:0}
td.num,th.num{text-align:right;white-space:nowrap}
.bar{background:#e3e6ea;border-radius:6px;height:10px;overflow:hidden;min-width:80px}
/* DataTable below 600 px: each row a card, each cell a line with its column's heading (web/components.tsx writes the labels) */
@media (max-width:600px){
.cards table,.cards tbody,.cards tr,.cards td{display:block;width:100%}
.cards table{background:none}
.cards thead{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
.cards tr{border:1px solid #e3e6ea;border-radius:8px;margin:0 0 8px;padding:6px 10px;background:#fff}
.cards td{border:0;padding:3px 0 3px 7.5em;position:relative;text-align:left;white-space:normal;min-height:1.9em}
.cards td::before{position:absolute;left:0;width:7em;color:#59636e;font-size:13px;line-height:1.9;overflow-wrap:anywhere}
.cards td[colspan]{padding-left:0}.cards td[colspan]::before{content:none}
.cards .bar{display:inline-block;width:60%;vertical-align:middle;margin-right:6px}
}
.bar>span{display:block;height:10px;background:#1e7d32}
td.flag{color:#b3261e;font-weight:600}
.pill{display:inline-block;border-radius:10px;padding:0 8px;font-size:13px;background:#fff4e5}
.pill.closed,.pill.answered{background:#e8f5e9}
/* a suggestion's status is one short word: kept whole; a hazard's state is a phrase that may wrap */
.pill:not(.open):not(.closed){white-space:nowrap}
dl.kv{display:grid;grid-template-columns:7em 1fr;gap:4px 12px;margin:0}
dl.kv dt{color:#59636e}dl.kv dd{margin:0}
.text{white-space:pre-wrap}
.late{color:#b3261e;font-weight:600}
.soon{color:#9a6700;font-weight:600}
details.co{margin-top:8px}details.co label.opt{display:inline-flex;margin-right:12px}
.actions form{border-top:1px solid #e3e6ea;padding-top:8px;margin-top:12px}
.figs{display:grid;grid-template-columns:repeat(auto-fill,minmax(140px,1fr));gap:8px}
.fig{background:#fff;border-radius:10px;padding:12px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
.fig b{display:block;font-size:26px}.fig.hot b{color:#b3261e}
.links li{margin:6px 0}
.scroll{overflow-x:auto}
table.ranking td,table.ranking th{white-space:nowrap}
tr.below td{background:#fff3f2}
span.flag{display:inline-block;margin-left:6px;font-size:12px;color:#b3261e;border:1px solid #b3261e;border-radius:4px;padding:0 4px}
.up{color:#1e7d32;font-weight:600}.down{color:#b3261e;font-weight:600}
td.metric details summary{cursor:pointer;list-style:none}
td.metric .why{display:block;white-space:normal;min-width:220px;font-size:13px;color:#59636e}
figure.chart{margin:0}figure.chart figcaption{font-weight:600;margin-bottom:6px}
/* the leader's bar list: name, bar with the threshold mark, score in figures; on a phone the name takes its own line */
ol.hbars{list-style:none;margin:0;padding:0}
ol.hbars li{display:grid;grid-template-columns:minmax(6em,11em) 1fr 4.5em;gap:2px 8px;align-items:center;padding:3px 0}
ol.hbars .track{position:relative;height:14px;background:#eef0f3;border-radius:4px}
ol.hbars .fill{position:absolute;left:0;top:0;bottom:0;background:#1e7d32;border-radius:4px}
ol.hbars li.below .fill{background:#d93025}
ol.hbars .line{position:absolute;top:-3px;bottom:-3px;border-left:2px dashed #b3261e}
ol.hbars .score{text-align:right;font-variant-numeric:tabular-nums}ol.hbars li.below .score{color:#b3261e}
@media (max-width:600px){ol.hbars li{grid-template-columns:1fr 4.5em}ol.hbars .name{grid-column:1/-1}}
@media print{ol.hbars .fill,ol.hbars .line{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
p.tabs a{margin-right:12px}p.tabs a.on{font-weight:700;color:#1f2328;text-decoration:none}
form.inline{display:flex;gap:8px;align-items:end;flex-wrap:wrap}form.inline label{margin:0}
form.inline input{width:auto}
body:has(.circular){background:#fff}
main:has(>.circular){max-width:210mm}
.circular{page:circular;font-family:"FangSong","STFangsong","SimSun","Songti SC",serif;color:#000}
@page circular{margin:18mm 16mm}
.circular h1{text-align:center;font-size:24px;color:#b3261e;margin:8px 0 4px;font-family:"SimSun","Songti SC",serif}
.circular .no{text-align:center;margin:0 0 8px}
.circular hr{border:0;border-top:2px solid #b3261e;margin:8px 0 16px}
.circular h2{font-size:18px;margin:16px 0 6px}
.circular p{text-indent:2em;margin:6px 0}
.circular table{font-size:12px;page-break-inside:auto}
.circular tr{page-break-inside:avoid}
.circular th,.circular td{border:1px solid #000;padding:3px 4px;text-align:center}
.circular td.name{text-align:left}
.circular tr.below td{background:#fdecea}
.circular .sign{text-align:right;margin-top:24px;text-indent:0}
@media print{.circular tr.below td{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
form.settings fieldset{border:1px solid #d0d7de;border-radius:8px;margin:0 0 16px;padding:8px 12px 12px}
form.settings legend{font-weight:700;padding:0 4px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:4px 12px}
.rows .row{display:grid;grid-template-columns:2fr 1fr;gap:4px 8px;align-items:normal;border-top:1px solid #eaeef2;padding:6px 0}
.rows .task{grid-template-columns:1.2fr 2.5fr .6fr .8fr auto}
@media (max-width:600px){.rows .row,.rows .task{grid-template-columns:1fr}}
.rows label{font-size:13px;color:#59636e;margin:0}
input.num{max-width:8em}
.form-editor .grid .wide{grid-column:1/-1}
.form-editor .hint{margin:2px 0}
.form-editor .checks label{display:inline-flex;gap:6px;align-items:center;margin-right:16px}
.preview-frame{border:2px dashed #d0d7de;border-radius:10px;padding:8px 12px;background:#fff;max-width:640px}
textarea.code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px;width:100%}
.json-edit{margin:16px 0}
`;
