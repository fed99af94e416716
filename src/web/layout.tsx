// The page shell: mobile-first, no client framework, small inline CSS shared by every page.
import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';

export const BASE_CSS = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.6 -apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#1f2328;background:#f6f7f9}
main{max-width:640px;margin:0 auto;padding:16px}
main{overflow-wrap:anywhere}
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
.help{font-size:14px;color:#59636e;margin:2px 0 4px}
.err{color:#b3261e;font-size:15px;margin:4px 0}
.invalid input,.invalid select,.invalid textarea{border-color:#b3261e;background:#fff8f7}
.alert{border-left:4px solid #b3261e;background:#fff8f7;padding:12px;border-radius:6px;margin:12px 0}
.ok{border-left:4px solid #1e7d32;background:#f3fbf4;padding:12px;border-radius:6px;margin:12px 0}
table{border-collapse:collapse;width:100%;background:#fff;font-size:14px}
th,td{border-bottom:1px solid #e3e6ea;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f0f2f5}
.hp{position:absolute;left:-9999px;width:1px;height:1px;overflow:hidden}
footer{max-width:640px;margin:24px auto;padding:0 16px;color:#59636e;font-size:13px}
@media print{header.top,footer,.noprint{display:none}body{background:#fff}}
`;

export interface LayoutProps {
  title: string;
  children?: Child;
  /** Extra CSS for this page only. */
  css?: string;
  /** Wider main column for tables (office and leader pages). */
  wide?: boolean;
  /** Shown in the top bar; defaults to the app name. */
  heading?: string;
  headingHref?: string;
}

export function Layout(props: LayoutProps) {
  // The doctype keeps browsers out of quirks mode; CSS goes in raw because escaping its quotes breaks font-family.
  return (
    <>
    {raw('<!DOCTYPE html>')}
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <meta name="format-detection" content="telephone=no" />
        <title>{`${props.title} · 平安金台`}</title>
        <style dangerouslySetInnerHTML={{ __html: (BASE_CSS + (props.wide ? 'main{max-width:1100px}' : '') + (props.css ?? '')).replace(/<\//g, '<\\/') }} />
      </head>
      <body>
        <header class="top">
          <div class="t">
            <a href={props.headingHref ?? '/'}>{props.heading ?? '平安金台'}</a>
          </div>
        </header>
        <main>{props.children}</main>
      </body>
    </html>
    </>
  );
}
